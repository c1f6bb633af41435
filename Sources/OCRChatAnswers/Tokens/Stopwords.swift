/// Words that say nothing about what is asked or written, in the languages the engine reads.
/// Folded (lowercase, no accents), as the tokenizer compares them.
enum Stopwords {
    static func contains(_ folded: String) -> Bool { all.contains(folded) }

    static let all: Set<String> = english.union(german).union(french).union(spanish).union(russian).union(arabic)

    static let english: Set<String> = [
        "a", "an", "the", "and", "or", "of", "to", "in", "on", "at", "by", "for", "with", "from", "as",
        "is", "are", "was", "were", "be", "been", "being", "am", "do", "does", "did", "done", "has", "have",
        "had", "will", "would", "shall", "should", "can", "could", "might", "must",
        "what", "which", "who", "whom", "whose", "when", "where", "why", "how", "that", "this", "these",
        "those", "there", "here", "it", "its", "it's", "they", "them", "their", "he", "she", "his", "her",
        "we", "our", "you", "your", "i", "me", "my", "any", "some", "about", "please", "tell", "say",
        "says", "said", "document", "page", "pages", "text", "mention", "mentioned", "stated", "state",
        "given", "listed", "written", "than", "then", "so", "if", "but", "not", "no", "yes", "also",
        "much", "many", "into", "onto", "per", "up", "out", "over", "under", "again", "according",
        "find", "show", "give", "get", "got", "know", "exactly", "just", "only", "very", "too", "need", "needs",
        "needed", "required", "actually", "exist", "exists",
    ]
    static let german: Set<String> = [
        "der", "die", "das", "den", "dem", "des", "ein", "eine", "einen", "einem", "einer", "und", "oder",
        "ist", "sind", "war", "wird", "werden", "wurde", "hat", "haben", "was", "wer", "wann", "wo", "wie",
        "welche", "welcher", "welches", "im", "in", "am", "an", "auf", "aus", "mit", "von", "vom", "zu",
        "zum", "zur", "fur", "bei", "es", "sie", "er", "nicht", "auch", "wieviel", "viel", "hoch", "welchem",
    ]
    static let french: Set<String> = [
        "le", "la", "les", "un", "une", "des", "du", "de", "et", "ou", "est", "sont", "etait", "quel",
        "quelle", "quels", "quelles", "qui", "que", "quoi", "quand", "ou", "comment", "combien", "dans",
        "sur", "pour", "par", "avec", "au", "aux", "ce", "cette", "il", "elle", "ils", "elles", "l", "d",
    ]
    static let spanish: Set<String> = [
        "el", "los", "las", "una", "unos", "unas", "y", "o", "es", "son", "fue", "cual", "cuales",
        "quien", "quienes", "cuando", "donde", "como", "cuanto", "cuanta", "en", "con", "por", "para", "del", "al",
    ]
    static let russian: Set<String> = [
        "и", "или", "в", "во", "на", "с", "со", "к", "ко", "по", "о", "об", "от", "до", "за", "из", "у",
        "не", "это", "этот", "эта", "как", "какой", "какая", "какое", "какие", "что", "кто", "когда",
        "где", "сколько", "ли", "же", "был", "была", "было", "были", "есть", "он", "она", "оно", "они",
    ]
    static let arabic: Set<String> = [
        "في", "من", "الى", "إلى", "على", "عن", "ما", "ماذا", "متى", "من", "هل", "هو", "هي", "كم", "او", "و",
    ].reduce(into: Set<String>()) { $0.insert(TextFolding.fold($1)) }
}

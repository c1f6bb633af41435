import Foundation

/// What kind of answer a question wants, which decides what is put up front.
public enum QuestionKind: String, Sendable, Equatable, CaseIterable {
    /// A sum of money: a total, a price, an amount due.
    case amount
    /// A date or a time: when something happens, ends, is due.
    case date
    /// A person, a company, a party.
    case name
    /// An identifier or a figure printed on a form: invoice number, phone, reference.
    case number
    /// How many of something.
    case count
    /// Whether something is so.
    case yesNo = "yes-no"
    /// Anything else: answered with the sentences that match best.
    case open
}

/// A question, analysed: its kind, the terms to search for, and the terms an answer must contain.
public struct Question: Sendable, Equatable {
    /// The question as asked.
    public var text: String
    /// What kind of answer it wants.
    public var kind: QuestionKind
    /// Terms to search with: its own words (weight 1), their synonyms (less) and, for a follow-up,
    /// the previous question's words (less).
    public var searchTerms: [QueryTerm]
    /// Its own meaningful terms: the ones an answer must be about (words that only say what kind of
    /// answer is wanted, like `date` or `number`, are left out). Each comes with its synonyms.
    public var requiredTerms: [RequiredTerm]
    /// Whether it leans on the previous question (`and when is it due?`).
    public var isFollowUp: Bool

    /// A term an answer must contain, or one of its synonyms.
    public struct RequiredTerm: Sendable, Equatable {
        /// The term itself.
        public var term: String
        /// Words that mean the same in documents (`contract` → `agreement`).
        public var synonyms: [String]

        /// Every spelling that counts.
        public var alternatives: [String] { [term] + synonyms }
    }

    /// Analyses `text`; `previous` is the conversation's last question, for follow-ups.
    public init(_ text: String, previous: Question? = nil, tokenizer: Tokenizer = Tokenizer()) {
        self.text = text
        let words = Tokenizer.words(text)
        var kind = Self.kind(of: words)
        let ownTerms = tokenizer.terms(text)
        let opener = words.first.flatMap { Self.yesNoOpeners.contains($0) ? Tokenizer.stem($0) : nil }
        var required: [RequiredTerm] = []
        var search: [QueryTerm] = []
        for term in ownTerms where !search.contains(where: { $0.term == term }) {
            search.append(QueryTerm(term))
            let synonyms = Synonyms.of(term).filter { $0 != term }
            for synonym in synonyms where !ownTerms.contains(synonym) { search.append(QueryTerm(synonym, weight: 0.5)) }
            // Nor is the auxiliary a yes/no question opens with (`arent`, which no stopword list holds).
            if !Self.kindWords.contains(term), term != opener { required.append(RequiredTerm(term: term, synonyms: synonyms)) }
        }
        var isFollowUp = false
        if let previous {
            let anaphoric = words.contains { Self.anaphora.contains($0) }
                || words.first.map { Self.continuations.contains($0) } == true
            isFollowUp = required.isEmpty || (anaphoric && required.count <= 2) || (required.count == 1 && words.count <= 4)
            if isFollowUp {
                for term in previous.searchTerms where !search.contains(where: { $0.term == term.term }) {
                    search.append(QueryTerm(term.term, weight: term.weight * 0.6))
                }
                if required.isEmpty { required = previous.requiredTerms }
                // `And the buyer?` asks what the question before asked; `and where is it?` asks anew.
                if kind == .open && previous.kind != .yesNo && !words.contains(where: Self.interrogatives.contains) {
                    kind = previous.kind
                }
            }
        }
        self.kind = kind
        searchTerms = search
        requiredTerms = required
        self.isFollowUp = isFollowUp
    }

    /// The kind, from the question's words (folded, unstemmed). The first rule that fits wins:
    /// `how many` before `when` before money before identifiers before names.
    static func kind(of words: [String]) -> QuestionKind {
        let joined = " " + words.joined(separator: " ") + " "
        func has(_ phrases: [String]) -> Bool { phrases.contains { joined.contains(" \($0) ") } }
        // `Is the total due in March?`, `Does late payment incur a fee?`: an auxiliary first asks
        // whether, whatever the words after it are about.
        if let first = words.first, yesNoOpeners.contains(first) { return .yesNo }
        if has(["how many", "number of", "wie viele", "combien de", "сколько"]) { return .count }
        if has(["when", "date", "dated", "deadline", "until", "expire", "expires", "expiry", "expiration",
                "what day", "what year", "which day", "which year", "wann", "datum", "frist", "quand", "echeance",
                "cuando", "fecha", "когда", "дата", "срок", "متى", "تاريخ"]) { return .date }
        if has(["how much", "total", "amount", "price", "cost", "costs", "sum", "balance", "fee", "fees", "subtotal",
                "tax", "vat", "paid", "pay", "owe", "owed", "charge", "charged", "penalty", "fine", "deposit", "rent",
                "salary", "wage", "budget", "revenue", "discount", "refund", "wieviel", "betrag", "summe",
                "gesamt", "gesamtbetrag", "preis", "kosten", "montant", "prix", "total", "cuanto", "importe",
                "precio", "сумма", "итого", "стоимость", "цена", "المبلغ", "المجموع"]) { return .amount }
        if has(["number", "no", "nr", "num", "id", "reference", "ref", "code", "phone", "telephone", "tel", "fax",
                "iban", "account", "zip", "postcode", "postal code", "nummer", "numero", "номер", "رقم"]) { return .number }
        if has(["who", "whom", "whose", "name", "named", "party", "parties", "company", "signed by", "wer", "name",
                "qui", "quien", "кто", "имя", "название", "من هو"]) { return .name }
        return .open
    }

    /// Words that only say what kind of answer is wanted; an answer need not contain them.
    static let kindWords: Set<String> = [
        "number", "nr", "num", "id", "date", "day", "year", "name", "amount", "value", "sum", "figure", "much",
        "many", "long", "kind", "type", "charge", "charged", "cost", "costs", "price", "owe", "owed", "pay", "paid",
        "spent", "nummer", "numero", "datum", "номер", "дата", "сумма", "wann", "quand",
    ].reduce(into: Set<String>()) { $0.insert(Tokenizer.stem($1)) }

    static let anaphora: Set<String> = [
        "it", "its", "that", "this", "they", "them", "their", "those", "these", "he", "she", "him", "his",
        "her", "there", "same", "one", "es", "sie", "il", "elle", "ce", "cela", "он", "она", "оно", "это", "они",
    ]
    static let interrogatives: Set<String> = [
        "what", "when", "where", "who", "whom", "whose", "which", "why", "how", "was", "wann", "wo", "wer", "wie",
        "warum", "quoi", "quand", "ou", "qui", "comment", "pourquoi", "que", "cuando", "donde", "quien", "como",
        "что", "когда", "где", "кто", "как", "почему",
    ]
    static let continuations: Set<String> = ["and", "also", "what", "how", "und", "et", "y", "и", "а"]
    static let yesNoOpeners: Set<String> = [
        "is", "are", "was", "were", "does", "do", "did", "can", "could", "has", "have", "had", "will", "would",
        "should", "shall", "may", "must", "isn't", "aren't", "doesn't", "ist", "sind", "hat", "gibt", "est",
        // `isn't`, `aren't`, … as the tokenizer folds them.
        "isnt", "arent", "doesnt", "dont", "didnt", "wasnt", "werent", "hasnt", "havent", "hadnt", "cant", "wont",
        "wouldnt", "shouldnt", "couldnt",
        "ли", "هل",
    ]
}

/// A few words that documents and questions use for the same thing, stemmed as the tokenizer does.
enum Synonyms {
    static func of(_ term: String) -> [String] { table[term] ?? [] }

    private static let groups: [[String]] = [
        ["contract", "agreement"],
        ["end", "expire", "expiry", "expiration", "terminate", "termination"],
        ["start", "begin", "commence", "commencement", "effective"],
        ["total", "due", "balance"],
        ["invoice", "bill"],
        ["vendor", "seller", "supplier", "provider", "contractor"],
        ["customer", "buyer", "client", "purchaser"],
        ["pay", "payment", "paid", "payable"],
        ["price", "cost", "fee", "charge"],
        ["phone", "telephone", "tel"],
        ["sign", "signed", "signature", "signatory"],
        ["deliver", "delivery", "ship", "shipping", "shipment"],
        ["address", "located"],
    ]

    private static let table: [String: [String]] = {
        var table: [String: [String]] = [:]
        for group in groups {
            let stemmed = group.map(Tokenizer.stem)
            for word in stemmed { table[word, default: []].append(contentsOf: stemmed.filter { $0 != word }) }
        }
        return table
    }()
}

/// Escaping shared by the XML formats (DOCX parts, hOCR, ALTO).
///
/// Recognised text can hold anything a PDF text layer or a misread glyph produces, including control
/// characters that XML 1.0 forbids even as character references, so those are dropped rather than
/// escaped: one unreadable character must not make the whole file unreadable.
enum XMLEscaping {
    /// Text for element content: `&`, `<` and `>` escaped, characters illegal in XML 1.0 dropped.
    static func text(_ value: String) -> String {
        var result = ""
        result.reserveCapacity(value.utf8.count)
        for scalar in value.unicodeScalars where isAllowed(scalar) {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"  // not required, but keeps `]]>` from ever appearing
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// Text for a double-quoted attribute value. Tabs and line ends become character references,
    /// because a parser would otherwise normalise them to spaces.
    static func attribute(_ value: String) -> String {
        var result = ""
        for scalar in value.unicodeScalars where isAllowed(scalar) {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&apos;"
            case "\t": result += "&#9;"
            case "\n": result += "&#10;"
            case "\r": result += "&#13;"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// Whether XML 1.0 allows the character at all (its `Char` production). Swift strings hold no
    /// lone surrogates, so only the C0 controls and the two non-characters at the end of the BMP remain.
    static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09, 0x0A, 0x0D: return true
        case 0x00..<0x20: return false
        case 0xFFFE, 0xFFFF: return false
        default: return true
        }
    }
}

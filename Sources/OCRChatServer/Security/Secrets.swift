import Foundation

/// Job identifiers: random UUIDs (version 4) from the system's CSPRNG (`getrandom` on Linux), so
/// that a uuid cannot be guessed from another one; for an anonymous job it is the only key.
enum JobID {
    /// A new lowercase UUID v4 with 122 random bits.
    static func random() -> String {
        var generator = SystemRandomNumberGenerator()
        var bytes = (0..<16).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        bytes[6] = (bytes[6] & 0x0F) | 0x40  // version 4
        bytes[8] = (bytes[8] & 0x3F) | 0x80  // RFC 4122 variant
        let uuid = bytes.withUnsafeBytes { raw in UUID(uuid: raw.loadUnaligned(as: uuid_t.self)) }
        return uuid.uuidString.lowercased()
    }
}

/// Comparison of secrets (token hashes) whose time does not depend on where they differ.
enum ConstantTime {
    /// True when both strings hold the same bytes; every byte is looked at whatever the outcome.
    static func equals(_ lhs: String, _ rhs: String) -> Bool {
        let a = Array(lhs.utf8), b = Array(rhs.utf8)
        var difference = UInt8(truncatingIfNeeded: a.count ^ b.count)
        for index in 0..<max(a.count, b.count) {
            let x = index < a.count ? a[index] : 0
            let y = index < b.count ? b[index] : 0
            difference |= x ^ y
        }
        return difference == 0 && a.count == b.count
    }
}

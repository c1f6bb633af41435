import Foundation
import OCRChatModel

/// Decides what a file costs its caller, as the public service does: anonymous callers a daily
/// allowance per IP, free accounts a monthly one, paid accounts their credits; each plan a cap
/// on the pages of one file.
struct Meter: Sendable {
    var configuration: MeteringConfiguration

    /// The charge for `pageCount` pages on `tier`, or a 402 when the file is over the caller's
    /// per-file cap. Whether the allowance still has room is checked when the job is stored.
    func charge(pageCount: Int, tier: Tier, account: AccountRecord?, clientIP: String, now: Date = Date()) throws -> Charge {
        guard configuration.enabled else { return .nothing }
        let cost = pageCount * configuration.pageCost(tier)
        guard let account else {
            try checkCap(pageCount, configuration.anonymousFilePageCap)
            return .allowance(key: "ip:\(clientIP)", period: Self.day(now), limit: configuration.anonymousDailyPages,
                              cost: cost, description: "daily")
        }
        switch account.plan {
        case .free:
            try checkCap(pageCount, configuration.freeFilePageCap)
            return .allowance(key: "account:\(account.id)", period: Self.month(now), limit: configuration.freeMonthlyPages,
                              cost: cost, description: "monthly")
        case .paid:
            try checkCap(pageCount, configuration.paidFilePageCap)
            return .credits(accountID: account.id, cost: cost)
        }
    }

    private func checkCap(_ pageCount: Int, _ cap: Int) throws {
        if pageCount > cap {
            throw APIError(.paymentRequired, "the file has \(pageCount) pages, over the per-file cap of \(cap) pages",
                           used: pageCount, cap: cap)
        }
    }

    static func day(_ date: Date) -> String { formatted(date, "yyyy-MM-dd") }
    static func month(_ date: Date) -> String { formatted(date, "yyyy-MM") }

    private static func formatted(_ date: Date, _ format: String) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = format
        return formatter.string(from: date)
    }
}

import Synchronization

/// Uploads received or recognised now, with a ceiling for the server and a lower one for each
/// caller (an account, or an anonymous caller's address), so that one address trickling bodies
/// cannot take every slot. `acquire` fails at once at either ceiling, so that the caller can
/// answer 503 rather than wait.
final class UploadSlots: Sendable {
    /// Why a slot was not given.
    enum Refusal: Equatable {
        /// Every slot of the server is taken.
        case serverFull
        /// This caller holds as many as it may.
        case callerFull(limit: Int)
    }

    private struct Counts {
        var total = 0
        var byCaller: [String: Int] = [:]
    }

    private let counts = Mutex(Counts())
    let limit: Int
    let perAddress: Int
    let perAccount: Int

    /// `limit` for the server; `perAddress` for an anonymous caller's address, `perAccount` for
    /// an account (0: no ceiling of the caller's own beyond the server's).
    init(limit: Int, perAddress: Int, perAccount: Int) {
        self.limit = max(0, limit)
        self.perAddress = max(0, perAddress)
        self.perAccount = max(0, perAccount)
    }

    /// Takes a slot for `caller` (`JobRecord.owner`: the account id, or `ip:ADDRESS`) if one is
    /// free; `anonymous` picks the ceiling.
    func acquire(caller: String, anonymous: Bool) -> Refusal? {
        let callerLimit = anonymous ? perAddress : perAccount
        return counts.withLock { counts in
            guard counts.total < limit else { return .serverFull }
            let held = counts.byCaller[caller, default: 0]
            if callerLimit > 0, held >= callerLimit { return .callerFull(limit: callerLimit) }
            counts.total += 1
            counts.byCaller[caller] = held + 1
            return nil
        }
    }

    /// Gives back a slot taken with `acquire`.
    func release(caller: String) {
        counts.withLock { counts in
            counts.total = max(0, counts.total - 1)
            let held = counts.byCaller[caller, default: 0] - 1
            counts.byCaller[caller] = held > 0 ? held : nil
        }
    }
}

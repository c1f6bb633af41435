import Foundation
import Hummingbird

/// Our extras for the web page's account view: `GET /api/v1/account/` (who the token belongs to,
/// its plan, what is used and left) and, in single-user mode, `GET /api/v1/local-token/`.
struct AccountController {
    let dependencies: ServerDependencies

    /// The caller's account as the account page shows it. The token itself is never stored, so
    /// only its first characters come back.
    struct Account: ResponseEncodable {
        var name: String
        var plan: String
        var tokenPrefix: String
        var createdAt: String
        var metering: Bool
        var credits: Credits
        /// The free plan's monthly page allowance; null for a paid account or with metering off.
        var allowance: ExplicitNull<Allowance>
        /// Most pages one file may have on this plan; null with metering off.
        var filePageCap: ExplicitNull<Int>
        var pageCost: PageCost
        var singleUser: Bool

        struct Credits: Encodable {
            var total: Int
            var used: Int
            var left: Int

            init(total: Int, used: Int) {
                self.total = total
                self.used = used
                left = Account.left(of: total, used: used)
            }
        }

        struct Allowance: Encodable {
            var period: String
            var used: Int
            var cap: Int
            var left: Int

            init(period: String, used: Int, cap: Int) {
                self.period = period
                self.used = used
                self.cap = cap
                left = Account.left(of: cap, used: used)
            }
        }

        /// What is left of `total` once `used` is spent, never below 0.
        static func left(of total: Int, used: Int) -> Int { max(0, total - used) }

        struct PageCost: Encodable {
            var cpu: Int
            var vlm: Int
        }

        enum CodingKeys: String, CodingKey {
            case name, plan, metering, credits, allowance
            case tokenPrefix = "token_prefix"
            case createdAt = "created_at"
            case filePageCap = "file_page_cap"
            case pageCost = "page_cost"
            case singleUser = "single_user"
        }
    }

    struct LocalToken: ResponseEncodable {
        var token: String
    }

    func addRoutes(to router: Router<OCRRequestContext>) {
        router.get("/api/v1/account", use: account)
        router.get("/api/v1/local-token", use: localToken)
    }

    @Sendable func account(_ request: Request, context: OCRRequestContext) async throws -> Account {
        guard let account = context.account else { throw APIError.tokenRequired }
        let metering = dependencies.configuration.metering
        var allowance: Account.Allowance?
        var cap: Int?
        if metering.enabled {
            switch account.plan {
            case .free:
                let period = Meter.month(Date())
                let used = try await dependencies.store.usage(key: "account:\(account.id)", period: period)
                allowance = .init(period: period, used: used, cap: metering.freeMonthlyPages)
                cap = metering.freeFilePageCap
            case .paid:
                cap = metering.paidFilePageCap
            }
        }
        return Account(
            name: account.name, plan: account.plan.rawValue, tokenPrefix: account.tokenPrefix,
            createdAt: JobResponse.timestamp(account.createdAt), metering: metering.enabled,
            credits: .init(total: account.creditsTotal, used: account.creditsUsed),
            allowance: ExplicitNull(allowance), filePageCap: ExplicitNull(cap),
            pageCost: .init(cpu: metering.cpuPageCost, vlm: metering.vlmPageCost),
            singleUser: dependencies.localToken != nil && account.name == SingleUserAccount.accountName)
    }

    /// The local account's token, for the page on this very machine in single-user mode; for
    /// anyone else (another machine, a host name that is not loopback) the route does not exist.
    @Sendable func localToken(_ request: Request, context: OCRRequestContext) async throws -> Response {
        guard let token = dependencies.localToken,
              SingleUserAccount.isLoopbackPeer(context.remoteAddress),
              let authority = request.head.authority,
              SingleUserAccount.isLoopbackHost(SingleUserAccount.hostName(ofAuthority: authority)) else {
            throw APIError(.notFound, "single-user mode is off")
        }
        var response = try LocalToken(token: token).response(from: request, context: context)
        response.headers[.cacheControl] = "no-store"
        return response
    }
}

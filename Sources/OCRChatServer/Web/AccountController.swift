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
        /// The free plan's monthly page allowance; nil for a paid account or with metering off.
        var allowance: Allowance?
        /// Most pages one file may have on this plan; nil with metering off.
        var filePageCap: Int?
        var pageCost: PageCost
        var singleUser: Bool

        struct Credits: Encodable {
            var total: Int
            var used: Int
            var left: Int
        }

        struct Allowance: Encodable {
            var period: String
            var used: Int
            var cap: Int
            var left: Int
        }

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

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(name, forKey: .name)
            try container.encode(plan, forKey: .plan)
            try container.encode(tokenPrefix, forKey: .tokenPrefix)
            try container.encode(createdAt, forKey: .createdAt)
            try container.encode(metering, forKey: .metering)
            try container.encode(credits, forKey: .credits)
            try container.encode(allowance, forKey: .allowance)  // null rather than absent: one shape for clients
            try container.encode(filePageCap, forKey: .filePageCap)
            try container.encode(pageCost, forKey: .pageCost)
            try container.encode(singleUser, forKey: .singleUser)
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
                allowance = .init(period: period, used: used, cap: metering.freeMonthlyPages,
                                  left: max(0, metering.freeMonthlyPages - used))
                cap = metering.freeFilePageCap
            case .paid:
                cap = metering.paidFilePageCap
            }
        }
        return Account(
            name: account.name, plan: account.plan.rawValue, tokenPrefix: account.tokenPrefix,
            createdAt: JobResponse.timestamp(account.createdAt), metering: metering.enabled,
            credits: .init(total: account.creditsTotal, used: account.creditsUsed,
                           left: max(0, account.creditsTotal - account.creditsUsed)),
            allowance: allowance, filePageCap: cap,
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

import ArgumentParser
import Foundation
import Logging
import OCRChatServer

/// `ocrchat token`: API tokens in the server's data folder.
struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Create, list and revoke API tokens.",
        subcommands: [Create.self, List.self, Revoke.self]
    )

    /// The data folder option every token command shares.
    struct DataOption: ParsableArguments {
        @Option(help: """
            Data folder of the server (default: OCRCHAT_DATA, else ./data when it holds a database, \
            else the folder 'ocrchat serve' last used, else ./data). The folder used is said on stderr.
            """)
        var data: String?

        @Option(help: "The PostgreSQL database the servers share (postgres://user@host/db; default: OCRCHAT_DATABASE, else the data folder's SQLite).")
        var database: String?

        func openStore() async throws -> any AccountStore {
            let environment = ProcessInfo.processInfo.environment
            if let database = (database ?? environment["OCRCHAT_DATABASE"]).flatMap({ $0.isEmpty ? nil : $0 }) {
                do {
                    let location = try PostgresLocation(database)
                    FileHandle.standardError.write(Data("ocrchat: database \(location.redacted)\n".utf8))
                    return try await openAccountStore(database: database, dataFolder: URL(fileURLWithPath: "."),
                                                      logger: Logger(label: "ocrchat.token"))
                } catch {
                    throw CleanExit.failure("cannot use the database: \(error)")
                }
            }
            let folder: String
            if let named = data ?? environment["OCRCHAT_DATA"] {
                folder = named
            } else {
                let (found, reason) = DataFolderRecord.defaultFolder(environment: environment)
                folder = found.path
                // stderr: stdout is the token alone, for scripts.
                FileHandle.standardError.write(Data("ocrchat: data folder \(folder) (\(reason))\n".utf8))
            }
            do {
                return try await openAccountStore(database: nil, dataFolder: URL(fileURLWithPath: folder, isDirectory: true),
                                                  logger: Logger(label: "ocrchat.token"))
            } catch {
                throw CleanExit.failure("cannot open the data folder \(folder): \(error)")
            }
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a token; it is printed once, alone on stdout, and stored only as a hash.")

        @Option(help: "A name to recognise the token by.")
        var name: String

        @Option(help: "free (a monthly page allowance) or paid (spends credits).")
        var plan: AccountRecord.Plan = .free

        @Option(help: "Credits of a paid account.")
        var credits: Int = 0

        @OptionGroup var dataOption: DataOption

        func validate() throws {
            if name.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--name must not be empty") }
            if credits < 0 { throw ValidationError("--credits must not be negative") }
        }

        func run() async throws {
            let store = try await dataOption.openStore()
            let (_, token) = try await store.createAccount(name: name, plan: plan, credits: credits)
            await store.close()
            print(token)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the tokens (never the tokens themselves).")

        @OptionGroup var dataOption: DataOption

        func run() async throws {
            let store = try await dataOption.openStore()
            let accounts = try await store.accounts()
            await store.close()
            print(["NAME", "PLAN", "TOKEN", "CREDITS", "CREATED", "STATE"].joined(separator: "\t"))
            for account in accounts {
                print([account.name, account.plan.rawValue, account.tokenPrefix + "…",
                       "\(account.creditsUsed)/\(account.creditsTotal)",
                       ISO8601DateFormatter().string(from: account.createdAt),
                       account.revokedAt == nil ? "active" : "revoked"].joined(separator: "\t"))
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a token, named by itself, its listed prefix or its name.")

        @Argument(help: "The token, the prefix shown by 'token list', or the name.")
        var token: String

        @OptionGroup var dataOption: DataOption

        func run() async throws {
            let store = try await dataOption.openStore()
            let count = try await store.revokeAccounts(matching: token)
            await store.close()
            guard count > 0 else { throw CleanExit.failure("no active token matches '\(token)'") }
            print("revoked \(count) token\(count == 1 ? "" : "s")")
        }
    }
}

extension AccountRecord.Plan: ExpressibleByArgument {}

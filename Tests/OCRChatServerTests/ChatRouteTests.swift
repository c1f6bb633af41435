import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import OCRChatServer

@Suite("Chat about a finished job through the router")
struct ChatRouteTests {
    private func upload(_ client: some TestClientProtocol, _ file: String, token: String) async throws -> String {
        let body = MultipartBody.upload(try sample(file), name: file)
        return try await client.execute(uri: "/api/v1/ocr/", method: .post, headers: body.headers + .bearer(token), body: body.buffer) {
            $0.json["uuid"] as? String ?? ""
        }
    }

    private func ask(_ client: some TestClientProtocol, _ uuid: String, token: String?, _ json: String) async throws
        -> (HTTPResponse.Status, [String: Any]) {
        try await client.execute(uri: "/api/v1/chat/\(uuid)/", method: .post,
                                 headers: token.map { .bearer($0) } ?? [:], body: ByteBuffer(string: json)) { ($0.status, $0.json) }
    }

    private func message(_ question: String, conversation: String? = nil) -> String {
        var body: [String: String] = ["message": question]
        if let conversation { body["conversation"] = conversation }
        return String(decoding: try! JSONSerialization.data(withJSONObject: body), as: UTF8.self)
    }

    private func history(_ client: some TestClientProtocol, _ uuid: String, token: String?, query: String = "") async throws
        -> (HTTPResponse.Status, [String: Any]) {
        try await client.execute(uri: "/api/v1/chat/\(uuid)/history/\(query)", method: .get,
                                 headers: token.map { .bearer($0) } ?? [:]) { ($0.status, $0.json) }
    }

    @Test("answers with citations, conversations that go on, history oldest first, and it all survives a restart", arguments: Backend.allCases)
    func conversation(_ backend: Backend) async throws {
        let configuration = try await testConfiguration(backend) { $0.chat.maxMessageCharacters = 200 }
        let store = try await openStore(configuration)
        let (_, alice) = try await store.createAccount(name: "alice", plan: .free, credits: 0)
        let (_, bob) = try await store.createAccount(name: "bob", plan: .free, credits: 0)
        let app = try await buildApplication(configuration: configuration, reader: sharedEngine, logger: quietLogger)
        let (uuid, first) = try await app.test(.router) { client -> (String, String) in
            let uuid = try await upload(client, "letter-3pages.tif", token: alice)
            let other = try await upload(client, "phototest.png", token: alice)

            let (status, reply) = try await ask(client, uuid, token: alice, message("What is the total amount due?"))
            #expect(status == .ok)
            let first = try #require(reply["conversation"] as? String)
            let answer = try #require(reply["message"] as? [String: Any])
            #expect(answer["role"] as? String == "assistant")
            #expect((answer["content"] as? String)?.hasPrefix("1,250.00 EUR (p. 1)") == true)
            let citations = try #require(answer["citations"] as? [[String: Any]])
            #expect(citations.first?["page"] as? Int == 1)
            #expect((citations.first?["snippet"] as? String)?.contains("Total amount due") == true)

            // A follow-up in the same conversation leans on the question before.
            let (_, next) = try await ask(client, uuid, token: alice, message("Who is it from?", conversation: first))
            #expect(next["conversation"] as? String == first)
            #expect(((next["message"] as? [String: Any])?["content"] as? String)?.contains("Northwind Traders") == true)

            // A new conversation, and a question the document cannot answer.
            let (_, separate) = try await ask(client, uuid, token: alice, message("How many chairs were counted?"))
            let second = try #require(separate["conversation"] as? String)
            #expect(second != first)
            #expect(((separate["message"] as? [String: Any])?["citations"] as? [[String: Any]])?.first?["page"] as? Int == 3)
            let (_, outside) = try await ask(client, uuid, token: alice, message("What is the capital of France?", conversation: second))
            let declined = try #require(outside["message"] as? [String: Any])
            #expect(declined["content"] as? String == "I could not find this in the document.")
            #expect((declined["citations"] as? [Any])?.isEmpty == true)
            #expect(outside["found"] as? Bool == false)

            // Bad questions: 400 with a JSON error; unknown or another job's conversation: 404.
            for bad in [message(""), message("   \n "), message(String(repeating: "a", count: 201)), "not json", #"{"question": "x"}"#] {
                let (status, body) = try await ask(client, uuid, token: alice, bad)
                #expect(status == .badRequest, "\(bad.prefix(40))")
                #expect(body["error"] as? String != nil)
            }
            #expect(try await ask(client, uuid, token: alice, message("Total?", conversation: "nope")).0 == .notFound)
            #expect(try await ask(client, other, token: alice, message("Total?", conversation: first)).0 == .notFound)
            // Someone else's job and anonymous callers.
            #expect(try await ask(client, uuid, token: bob, message("Total?")).0 == .notFound)
            #expect(try await ask(client, uuid, token: nil, message("Total?")).0 == .unauthorized)
            #expect(try await history(client, uuid, token: bob).0 == .notFound)
            #expect(try await history(client, uuid, token: nil).0 == .unauthorized)
            #expect(try await history(client, other, token: alice).1["messages"] as? [Any] != nil)
            return (uuid, first)
        }

        // A new server on the same data folder: the history is still there, oldest first, and the
        // conversation goes on.
        let restarted = try await buildApplication(configuration: configuration, reader: sharedEngine, logger: quietLogger)
        try await restarted.test(.router) { client in
            let (status, held) = try await history(client, uuid, token: alice)
            #expect(status == .ok)
            let messages = try #require(held["messages"] as? [[String: Any]])
            #expect(messages.map { $0["role"] as? String } == ["user", "assistant", "user", "assistant", "user", "assistant", "user", "assistant"])
            #expect(messages.first?["content"] as? String == "What is the total amount due?")
            #expect(messages[2]["content"] as? String == "Who is it from?")
            #expect(((messages[1]["citations"] as? [[String: Any]])?.first?["page"] as? Int) == 1)
            #expect((held["conversations"] as? [String])?.count == 2)

            let (_, more) = try await ask(client, uuid, token: alice, message("And where is it delivered?", conversation: first))
            #expect(more["conversation"] as? String == first)
            #expect(((more["message"] as? [String: Any])?["content"] as? String)?.contains("Harbour Road") == true)
            let (_, only) = try await history(client, uuid, token: alice, query: "?conversation=\(first)")
            #expect((only["messages"] as? [[String: Any]])?.count == 6)
        }
    }

    @Test("a configured local model that is down: the question is still answered from the text", arguments: Backend.allCases)
    func modelDown(_ backend: Backend) async throws {
        let configuration = try await testConfiguration(backend) {
            $0.chat.llmURL = "http://127.0.0.1:9"  // the discard port: nothing listens there
            $0.chat.llmModel = "absent"
            $0.chat.llmTimeoutSeconds = 5
        }
        let store = try await openStore(configuration)
        let (_, alice) = try await store.createAccount(name: "alice", plan: .free, credits: 0)
        let app = try await buildApplication(configuration: configuration, reader: sharedEngine, logger: quietLogger)
        try await app.test(.router) { client in
            let uuid = try await upload(client, "letter-3pages.tif", token: alice)
            let (status, reply) = try await ask(client, uuid, token: alice, message("Where will the next meeting be?"))
            #expect(status == .ok)
            #expect(((reply["message"] as? [String: Any])?["content"] as? String)?.contains("library") == true)
            #expect(reply["answered_by"] as? String == "extractive")
        }
    }

    @Test("a purged job takes its conversations with it", arguments: Backend.allCases)
    func purgeCascades(_ backend: Backend) async throws {
        let configuration = try await testConfiguration(backend)
        let store = try await openStore(configuration)
        let (account, alice) = try await store.createAccount(name: "alice", plan: .free, credits: 0)
        let app = try await buildApplication(configuration: configuration, reader: sharedEngine, logger: quietLogger)
        let (uuid, conversation) = try await app.test(.router) { client -> (String, String) in
            let uuid = try await upload(client, "phototest.png", token: alice)
            let (status, reply) = try await ask(client, uuid, token: alice, message("What colour is the fox?"))
            #expect(status == .ok)
            return (uuid, try #require(reply["conversation"] as? String))
        }
        #expect(try await store.messages(ofJob: uuid, accountID: account.id).count == 2)
        #expect(try await store.conversation(conversation, job: uuid, accountID: account.id) != nil)
        try await store.delete(uuid)
        #expect(try await store.messages(ofJob: uuid, accountID: account.id).isEmpty)
        #expect(try await store.conversation(conversation, job: uuid, accountID: account.id) == nil)
    }
}

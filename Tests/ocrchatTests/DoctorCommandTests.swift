import Foundation
import PostgresHarness
import Testing

/// `ocrchat doctor` run as an operator runs it, against real models, a real database and a real port.
@Suite("ocrchat doctor", .serialized, .oneMachineSlot)
struct DoctorCommandTests {
    /// Runs `ocrchat doctor` with `environment` added to this process's (OMP_THREAD_LIMIT kept unless removed).
    private func doctor(_ arguments: [String], environment: [String: String] = [:], removing: [String] = []) async throws -> ConvertCommandTests.Run {
        var merged = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        merged["OMP_THREAD_LIMIT"] = merged["OMP_THREAD_LIMIT"] ?? "1"
        for name in removing { merged.removeValue(forKey: name) }
        merged.removeValue(forKey: "OCRCHAT_CONFIG")
        merged.removeValue(forKey: "OCRCHAT_DATA")
        return try await ChildProcess.run(ConvertCommandTests.binary, ["doctor"] + arguments, environment: merged)
    }

    /// The report's line for the check `name`.
    private func line(_ run: ConvertCommandTests.Run, _ name: String) -> String {
        run.stdout.split(separator: "\n").map(String.init).first { $0.dropFirst(9).hasPrefix(name + ":") } ?? "(no line for \(name))"
    }

    @Test("on this machine with a fresh data folder and a free port every check passes and it exits 0")
    func healthyMachine() async throws {
        let folder = Live.temporaryFolder("doctor")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try FileManager.default.setAttributes([.posixPermissions: 0o750], ofItemAtPath: folder.path)
        let port = try ServerProcess.freePort()
        let run = try await doctor(["--data", folder.path, "--port", String(port)])
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(line(run, "model eng").hasPrefix("ok "))
        #expect(line(run, "model osd").hasPrefix("ok "))
        #expect(line(run, "languages").contains("eng"))
        #expect(line(run, "languages").contains("deu"))
        #expect(line(run, "OpenMP limit").hasPrefix("ok "))
        #expect(line(run, "data folder").hasPrefix("ok "), "\(run.stdout)")
        #expect(line(run, "free space").contains("free under"))
        #expect(line(run, "database").contains("no database yet"))
        #expect(line(run, "port \(port)").hasPrefix("ok "))
        #expect(line(run, "port \(port)").contains("is free"))
        // make setup installs the rapidocr and onnxruntime wheels and three Apertium pairs.
        #expect(line(run, "vlm tier").hasPrefix("ok "), "\(run.stdout)")
        #expect(line(run, "apertium").contains("eng-spa"))
        #expect(run.stdout.hasSuffix("0 errors, 0 warnings\n"), "\(run.stdout)")
        // Doctor makes nothing in the data folder: serve makes the database as its own user.
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    }

    @Test("beside a running server: its port is held by ocrchat (ok) and its database opens with the job counted")
    func besideRunningServer() async throws {
        let folder = Live.temporaryFolder("doctor")
        let server = try await ServerProcess(dataFolder: folder)
        let (status, job) = try await Live.upload(server, "phototest.png")
        #expect(status == 200)
        #expect(job["status"] as? String == "done")
        let run = try await doctor(["--data", folder.path, "--port", String(server.port)])
        #expect(run.status == 0, "\(run.stdout)")
        #expect(line(run, "port \(server.port)").contains("an ocrchat server already answers"))
        #expect(line(run, "database").contains("opens, checks ok (jobs: 1 done)"), "\(run.stdout)")
    }

    @Test("with --database: the shared PostgreSQL answers with its queue depth; one nobody answers on is an error with what to do")
    func sharedDatabase() async throws {
        let folder = Live.temporaryFolder("doctor-postgres")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try FileManager.default.setAttributes([.posixPermissions: 0o750], ofItemAtPath: folder.path)
        let database = try await ThrowawayCluster.shared.freshDatabase()
        let port = try ServerProcess.freePort()
        let run = try await doctor(["--data", folder.path, "--port", String(port), "--database", database])
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(line(run, "database").hasPrefix("ok "), "\(run.stdout)")
        #expect(line(run, "database").contains("0 jobs waiting in the shared queue"), "\(run.stdout)")
        #expect(!run.stdout.contains("ocrchat.sqlite"), "no SQLite check for a node that shares PostgreSQL")

        let nobody = try ServerProcess.freePort()
        let down = try await doctor(["--data", folder.path, "--port", String(port),
                               "--database", "postgres://ocrchat@127.0.0.1:\(nobody)/ocrchat?sslmode=disable"])
        #expect(down.status == 1)
        #expect(line(down, "database").hasPrefix("error "), "\(down.stdout)")
        #expect(line(down, "database").contains("pg_hba.conf"), "\(down.stdout)")
    }

    @Test("a port held by another program, a data folder that is a file and a broken config are errors: exit 1, with what to do")
    func errors() async throws {
        // Another program on the port: a listening socket that answers nothing.
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        #expect(listen(fd, 4) == 0)
        let port = Int(UInt16(bigEndian: address.sin_port))
        // Its connections are accepted and closed, so the doctor's /healthz gets no answer.
        let acceptor = Thread { while true { let client = accept(fd, nil, nil); if client < 0 { return }; close(client) } }
        acceptor.start()

        let file = Live.temporaryFolder("doctor-file")
        try Data("not a folder".utf8).write(to: file)
        let run = try await doctor(["--data", file.path, "--port", String(port)])
        #expect(run.status == 1)
        #expect(line(run, "port \(port)").hasPrefix("error "))
        #expect(line(run, "port \(port)").contains("held by another program; fix: stop it"))
        #expect(line(run, "data folder").hasPrefix("error "))
        #expect(line(run, "data folder").contains("is not a folder; fix:"))
        #expect(run.stdout.contains("2 errors"))

        let config = Live.temporaryFolder("doctor-config")
        try Data("{\"port\": \"eighty\"}".utf8).write(to: config)
        let broken = try await doctor(["--config", config.path])
        #expect(broken.status == 1)
        #expect(line(broken, "settings").hasPrefix("error "))
        #expect(line(broken, "settings").contains("cannot be read"))
    }

    @Test("without OMP_THREAD_LIMIT in the environment it warns and says to set it; an open data folder warns too")
    func warnings() async throws {
        let folder = Live.temporaryFolder("doctor")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try FileManager.default.setAttributes([.posixPermissions: 0o777], ofItemAtPath: folder.path)
        let run = try await doctor(["--data", folder.path, "--port", String(try ServerProcess.freePort())], removing: ["OMP_THREAD_LIMIT"])
        #expect(run.status == 0)
        #expect(line(run, "OpenMP limit").hasPrefix("warning "))
        #expect(line(run, "OpenMP limit").contains("fix: set OMP_THREAD_LIMIT=1"))
        #expect(line(run, "data folder").hasPrefix("warning "))
        #expect(line(run, "data folder").contains("chmod o-rwx"))
    }

    @Test("the settings are found as serve finds them: ocrchat.json in the data folder names the port checked")
    func configInDataFolder() async throws {
        let folder = Live.temporaryFolder("doctor")
        let port = try ServerProcess.freePort()
        try Live.writeConfig("{\"port\": \(port)}", in: folder)
        let run = try await doctor(["--data", folder.path])
        #expect(run.status == 0, "\(run.stdout)")
        #expect(line(run, "settings").contains("ocrchat.json (in the data folder)"))
        #expect(line(run, "port \(port)").contains("is free"), "\(run.stdout)")
    }

    @Test("a vlm model folder without the models is a warning that names the missing file")
    func missingNeuralModels() async throws {
        let empty = Live.temporaryFolder("doctor-models")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        let run = try await doctor(["--models-dir", empty.path, "--data", Live.temporaryFolder("doctor").path,
                              "--port", String(try ServerProcess.freePort())])
        #expect(run.status == 0)
        #expect(line(run, "vlm tier").hasPrefix("warning "))
        #expect(line(run, "vlm tier").contains(".onnx"))
    }
}

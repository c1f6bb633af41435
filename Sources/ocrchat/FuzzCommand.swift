import ArgumentParser
import Foundation
import Logging
import OCRChatEngine

/// `ocrchat fuzz` (hidden): random mutations of seed files through the engine's input path
/// (sniffing, headers, PDF open and render, image decoding), without Tesseract. `make fuzz` runs it
/// under Scripts/fuzz.sh, which restarts it after a crash and files the input that caused it.
struct FuzzCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fuzz",
        abstract: "Fuzz the input path with mutated seed files (for `make fuzz`).",
        shouldDisplay: false
    )

    @Option(help: "Folders (or files) of seed inputs.")
    var seeds: [String] = []

    @Option(help: "Folder that receives crashing and slow inputs.")
    var findings: String = "fuzz-findings"

    @Option(help: "How long to run, in seconds.")
    var seconds: Double = 600

    @Option(help: "Random seed (0: from the clock).")
    var randomSeed: UInt64 = 0

    @Option(help: "An input that takes longer than this many seconds is filed as slow, and the run stops.")
    var slowSeconds: Double = 20

    @Option(help: "Seeds larger than this many KiB are skipped (big seeds make few executions).")
    var maxSeedKib: Int = 1024

    @Option(help: "Address space of this process, in MiB (an allocation past it fails, as in a worker).")
    var memoryLimitMib: Int = 4096

    func run() async throws {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .critical  // the libraries' complaints about broken files are expected
            return handler
        }
        let bytes = rlim_t(memoryLimitMib) << 20
        var limit = rlimit(rlim_cur: bytes, rlim_max: bytes)
        _ = setrlimit(__rlimit_resource_t(RLIMIT_AS.rawValue), &limit)
        let corpus = try loadSeeds()
        guard !corpus.isEmpty else { throw CleanExit.failure("no seed files found in \(seeds)") }
        let findingsURL = URL(fileURLWithPath: findings, isDirectory: true)
        try FileManager.default.createDirectory(at: findingsURL, withIntermediateDirectories: true)
        // The input in hand, written before each run: if the process dies, the driver files it.
        let current = findingsURL.appendingPathComponent(".current")
        FileManager.default.createFile(atPath: current.path, contents: nil)
        let currentFile = try FileHandle(forWritingTo: current)
        var generator = SplitMix64(seed: randomSeed != 0 ? randomSeed : UInt64(Date().timeIntervalSince1970 * 1e6))
        // Small limits keep each run short; the checks before decoding are what is being tested.
        let limits = EngineLimits(maxFileBytes: 8 << 20, maxPixelsPerPage: 4_000_000, maxPages: 50, secondsPerPage: 5)
        let watchdog = SlowInputWatchdog(limit: slowSeconds, current: current, findings: findingsURL)
        let started = Date()
        var executions = 0
        var outcomes: [String: Int] = [:]
        var lastReport = Date()
        FileHandle.standardError.write(Data("fuzz: \(corpus.count) seeds, \(Int(seconds)) s, findings in \(findingsURL.path)\n".utf8))
        while Date().timeIntervalSince(started) < seconds {
            let input = Mutator.mutate(corpus, using: &generator)
            try currentFile.truncate(atOffset: 0)
            try currentFile.seek(toOffset: 0)
            currentFile.write(input)
            watchdog.begin()
            let outcome: String
            do {
                let pages = try InputProbe.decode(input, limits: limits)
                outcome = "decoded \(min(pages, 3)) page(s)"
            } catch let error as EngineError {
                outcome = Self.kind(of: error)
            } catch {
                outcome = "other error"
            }
            watchdog.end()
            executions += 1
            outcomes[outcome, default: 0] += 1
            if Date().timeIntervalSince(lastReport) >= 30 {
                lastReport = Date()
                Self.report(executions: executions, outcomes: outcomes, since: started)
            }
        }
        Self.report(executions: executions, outcomes: outcomes, since: started)
        try? FileManager.default.removeItem(at: current)
    }

    private static func report(executions: Int, outcomes: [String: Int], since started: Date) {
        let elapsed = Date().timeIntervalSince(started)
        let summary = outcomes.sorted { $0.value > $1.value }.map { "\($0.key): \($0.value)" }.joined(separator: ", ")
        FileHandle.standardError.write(Data(
            "fuzz: \(executions) executions in \(Int(elapsed)) s (\(Int(Double(executions) / max(elapsed, 1)))/s); \(summary)\n".utf8))
    }

    /// The error's case, without its details, for the tally.
    private static func kind(of error: EngineError) -> String {
        let text = "\(error)"
        switch error {
        case .unreadable(let format, _): return "unreadable \(format)"
        case .unsupportedType: return "unsupported type"
        case .tooManyPixels: return "too many pixels"
        case .tooManyPages: return "too many pages"
        case .passwordRequired: return "password required"
        case .emptyFile: return "empty"
        case .nativeFailure(let call, _): return "native failure \(call)"
        default: return String(text.prefix(40))
        }
    }

    private func loadSeeds() throws -> [Data] {
        var files: [URL] = []
        for path in seeds {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { continue }
            if isDirectory.boolValue {
                let enumerator = FileManager.default.enumerator(at: URL(fileURLWithPath: path), includingPropertiesForKeys: nil)
                while let url = enumerator?.nextObject() as? URL {
                    if !url.hasDirectoryPath { files.append(url) }
                }
            } else {
                files.append(URL(fileURLWithPath: path))
            }
        }
        return files.compactMap { url in
            guard let data = try? Data(contentsOf: url), !data.isEmpty, data.count <= maxSeedKib << 10,
                  (try? InputFormat.sniff(data)) != nil else { return nil }
            return data
        }
    }
}

/// Files an input that runs too long (a hang in a decoder) and ends the run, from its own thread.
final class SlowInputWatchdog: @unchecked Sendable {
    private let condition = NSCondition()
    private var startedAt: Date?  // guarded by condition
    private var generation = 0

    init(limit: Double, current: URL, findings: URL) {
        let thread = Thread { [unowned self] in
            while true {
                Thread.sleep(forTimeInterval: 0.5)
                condition.lock()
                let started = startedAt
                condition.unlock()
                if let started, Date().timeIntervalSince(started) > limit {
                    let data = (try? Data(contentsOf: current)) ?? Data()
                    let name = "slow-\(Mutator.digest(data))"
                    try? data.write(to: findings.appendingPathComponent(name))
                    FileHandle.standardError.write(Data("fuzz: an input took over \(Int(limit)) s: \(name)\n".utf8))
                    exit(3)
                }
            }
        }
        thread.start()
    }

    func begin() {
        condition.lock()
        startedAt = Date()
        generation += 1
        condition.unlock()
    }

    func end() {
        condition.lock()
        startedAt = nil
        condition.unlock()
    }
}

/// Random mutations of the kind that find parser bugs: flipped bits, interesting values in
/// header-sized integers, cut, repeated and spliced ranges.
enum Mutator {
    static func mutate(_ corpus: [Data], using generator: inout SplitMix64) -> Data {
        var bytes = [UInt8](corpus[Int(generator.next() % UInt64(corpus.count))])
        let rounds = 1 + Int(generator.next() % 8)
        for _ in 0..<rounds where !bytes.isEmpty {
            // Headers matter most: half the mutations land in the first 512 bytes.
            let span = generator.next() % 2 == 0 ? min(bytes.count, 512) : bytes.count
            let at = Int(generator.next() % UInt64(span))
            switch generator.next() % 9 {
            case 0:
                bytes[at] ^= UInt8(1 << (generator.next() % 8))
            case 1:
                bytes[at] = UInt8(truncatingIfNeeded: generator.next())
            case 2:
                let values: [UInt8] = [0x00, 0xFF, 0x7F, 0x80, 0x01, 0xFE]
                bytes[at] = values[Int(generator.next() % UInt64(values.count))]
            case 3:
                // A 16- or 32-bit field set to an extreme, in either byte order.
                let values: [UInt32] = [0, 1, 0xFFFF, 0x7FFF_FFFF, 0xFFFF_FFFF, 0x8000_0000, 65_536, 100_000]
                var value = values[Int(generator.next() % UInt64(values.count))]
                if generator.next() % 2 == 0 { value = value.byteSwapped }
                for offset in 0..<4 where at + offset < bytes.count {
                    bytes[at + offset] = UInt8(truncatingIfNeeded: value >> (8 * offset))
                }
            case 4:
                bytes.removeSubrange(min(at, bytes.count)..<min(bytes.count, at + Int(generator.next() % 64) + 1))
            case 5:
                bytes = Array(bytes.prefix(max(1, Int(generator.next() % UInt64(bytes.count)))))
            case 6:
                let length = min(bytes.count - at, Int(generator.next() % 256) + 1)
                bytes.insert(contentsOf: bytes[at..<(at + length)], at: at)
            case 7:
                let other = [UInt8](corpus[Int(generator.next() % UInt64(corpus.count))])
                let from = Int(generator.next() % UInt64(max(1, other.count)))
                let length = min(other.count - from, Int(generator.next() % 1024) + 1)
                if length > 0 { bytes.replaceSubrange(at..<min(bytes.count, at + length), with: other[from..<(from + length)]) }
            default:
                // PDF syntax: numbers that drive allocations and lookups.
                let tokens = ["0", "-1", "99999999", "2147483647", "4294967296", "1e308", "/Length 0", "R", "obj", "<<", ">>"]
                bytes.insert(contentsOf: Array(tokens[Int(generator.next() % UInt64(tokens.count))].utf8), at: at)
            }
        }
        return Data(bytes)
    }

    /// A short stable name for an input (FNV-1a, 64 bits).
    static func digest(_ data: Data) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in data {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        return String(hash, radix: 16)
    }
}

/// A small, fast, seedable generator, so that a run can be repeated.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

import Foundation

/// Length-prefixed frames over a pair of pipes: a 4-byte big-endian length, then that many bytes
/// of JSON. Plain POSIX reads and writes, so a dead peer is an end of file or an error, never a
/// crash of the reader. `FrameReceiver` reads the same frames without blocking a thread.
struct FrameChannel: Sendable {
    let input: Int32
    let output: Int32
    /// A frame larger than this is a broken peer, not a document.
    static let maxFrameBytes = 1 << 30

    /// Why a frame could not be read.
    enum Failure: Error, Equatable {
        /// Nothing arrived in time (`FrameReceiver`).
        case timedOut
        /// The frame is longer than `maxFrameBytes`.
        case oversized(Int)
        /// A system call failed with this errno.
        case system(call: String, errno: Int32)
    }

    func write(_ payload: Data) throws {
        var length = UInt32(payload.count).bigEndian
        var frame = Data(bytes: &length, count: 4)
        frame.append(payload)
        try frame.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = Glibc.write(output, raw.baseAddress! + offset, raw.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    throw Failure.system(call: "write", errno: errno)
                }
                offset += written
            }
        }
    }

    /// The next frame, or nil at end of file. Blocking: the worker reads its requests with it
    /// (the server awaits its workers' answers through `FrameReceiver`).
    func read() throws -> Data? {
        guard let header = try readExactly(4) else { return nil }
        let length = header.withUnsafeBytes { Int(UInt32(bigEndian: $0.loadUnaligned(as: UInt32.self))) }
        guard length <= Self.maxFrameBytes else { throw Failure.oversized(length) }
        return try readExactly(length)
    }

    private func readExactly(_ count: Int) throws -> Data? {
        var data = Data(count: count)
        var offset = 0
        while offset < count {
            let got = data.withUnsafeMutableBytes { raw in
                Glibc.read(input, raw.baseAddress! + offset, count - offset)
            }
            if got < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                throw Failure.system(call: "read", errno: errno)
            }
            if got == 0 { return nil }  // end of file: the peer is gone
            offset += got
        }
        return data
    }
}

extension Duration {
    var wholeMilliseconds: Int {
        let (seconds, attoseconds) = components
        return Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000)
    }
}

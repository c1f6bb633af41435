import Foundation

/// Length-prefixed frames over a pair of pipes: a 4-byte big-endian length, then that many bytes
/// of JSON. Plain POSIX reads and writes, so a dead peer is an end of file or an error, never a
/// crash of the reader.
struct FrameChannel: Sendable {
    let input: Int32
    let output: Int32
    /// A frame larger than this is a broken peer, not a document.
    static let maxFrameBytes = 1 << 30

    /// Why a frame could not be read.
    enum Failure: Error, Equatable {
        /// Nothing arrived in time.
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

    /// The next frame, or nil at end of file. `timeout` bounds the wait for each piece of it;
    /// `stillAlive` is asked about once a second while nothing arrives (a peer whose pipe end
    /// another process keeps open never gives an end of file).
    func read(timeout: Duration?, stillAlive: () -> Bool = { true }) throws -> Data? {
        guard let header = try readExactly(4, timeout: timeout, stillAlive: stillAlive) else { return nil }
        let length = header.withUnsafeBytes { Int(UInt32(bigEndian: $0.loadUnaligned(as: UInt32.self))) }
        guard length <= Self.maxFrameBytes else { throw Failure.oversized(length) }
        return try readExactly(length, timeout: timeout, stillAlive: stillAlive)
    }

    private func readExactly(_ count: Int, timeout: Duration?, stillAlive: () -> Bool) throws -> Data? {
        var data = Data(count: count)
        var offset = 0
        let deadline = timeout.map { ContinuousClock.now + $0 }
        while offset < count {
            // Wait in slices of a second at most, to look at the peer between them.
            var waitMilliseconds: Int32 = 1000
            if let deadline {
                let left = deadline - ContinuousClock.now
                if left <= .zero { throw Failure.timedOut }
                waitMilliseconds = Int32(min(1000, max(1, left.wholeMilliseconds)))
            }
            var descriptor = pollfd(fd: input, events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, waitMilliseconds)
            if ready < 0 {
                if errno == EINTR { continue }
                throw Failure.system(call: "poll", errno: errno)
            }
            if ready == 0 {
                if !stillAlive() { return nil }
                continue
            }
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

import Foundation

/// Decides when a file in a hot folder is complete: once its size and modification time have not
/// changed for the settle time. A scanner or a copy still writing keeps changing both.
///
/// Time is measured by our own clock between listings, never against the file's mtime, so a
/// network share with a skewed clock cannot make a half-written file look old.
public struct SettleTracker: Sendable {
    private struct Sighting: Sendable {
        var stamp: FileStamp
        var since: Date
    }

    /// How long a file's stamp must hold still.
    public let settleSeconds: Double
    private var sightings: [String: Sighting] = [:]

    public init(settleSeconds: Double) {
        self.settleSeconds = settleSeconds
    }

    /// Takes the listing made at `now` and returns the files that have settled.
    public mutating func settled(_ listing: [ScannedFile], now: Date = Date()) -> [ScannedFile] {
        var ready: [ScannedFile] = []
        var seen: [String: Sighting] = [:]
        for file in listing {
            if let sighting = sightings[file.relativePath], sighting.stamp == file.stamp {
                seen[file.relativePath] = sighting
                if now.timeIntervalSince(sighting.since) >= settleSeconds { ready.append(file) }
            } else {
                seen[file.relativePath] = Sighting(stamp: file.stamp, since: now)
            }
        }
        sightings = seen  // files gone from the folder are forgotten
        return ready
    }
}

import Foundation

/// PP-OCR's text detection (DB, differentiable binarisation): the network draws a map of how
/// likely each pixel is text; the map is thresholded, its regions are boxed with the least-area
/// rectangle, kept when the map is confident over the box, and grown back by the margin the
/// network was trained to shrink text by (the "unclip").
struct TextDetector {
    let session: ONNXSession

    /// The longest side the network sees on a close look: larger pages are scaled down (text on a
    /// 300 dpi page stays 20–30 px high), smaller ones up, at most `maxEnlargement` times.
    static let longestSide = 2000.0
    static let maxEnlargement = 3.0
    /// The longest side on a quick look, for where text lies on a page Tesseract read well: a
    /// quarter of the pixels of a close one.
    static let quickLongestSide = 1024.0
    /// Map values above this are text.
    static let pixelThreshold: Float = 0.3
    /// A region is kept when the map's mean over its box is at least this.
    static let boxThreshold = 0.5
    /// How far boxes are grown: area × ratio / perimeter.
    static let unclipRatio = 1.6
    /// Most regions looked at on one page (a hatched drawing can make thousands): the largest win.
    static let maxCandidates = 1000
    /// Boxes with a shorter side (map pixels, before growing) are specks.
    static let minimumSide = 3.0

    /// The text boxes on `image`, in its pixels; `closely` at the full detection resolution.
    func detect(_ image: RasterImage, closely: Bool) throws -> [(quad: Quad, score: Double)] {
        let longest = Double(max(image.width, image.height))
        let scale = min((closely ? Self.longestSide : Self.quickLongestSide) / longest, Self.maxEnlargement)
        func rounded32(_ value: Double) -> Int { max(32, Int((value / 32).rounded()) * 32) }
        let width = rounded32(Double(image.width) * scale), height = rounded32(Double(image.height) * scale)
        let sx = Double(image.width) / Double(width), sy = Double(image.height) / Double(height)
        var input = [Float](repeating: 0, count: 3 * width * height)
        image.fill(&input, offset: 0, planeStride: width * height, rowStride: width, columns: width, rows: height,
                   grid: SamplingGrid(originX: 0, originY: 0, xStepX: sx, xStepY: 0, yStepX: 0, yStepY: sy))
        let output = try session.run(input, shape: [1, 3, height, width])
        guard output.shape.count == 4, output.shape[2] == height, output.shape[3] == width else {
            throw NeuralError.runFailed(call: "detection", detail: "unexpected output shape \(output.shape)")
        }
        let map = ProbabilityMap(values: output.values, width: width, height: height)
        return map.boxes().compactMap { region -> (Quad, Double)? in
            guard let rect = RotatedRect.enclosing(region.outline), rect.shortSide >= Self.minimumSide else { return nil }
            let score = map.meanInside(rect.quad)
            guard score >= Self.boxThreshold else { return nil }
            let margin = rect.length * rect.breadth * Self.unclipRatio / (2 * (rect.length + rect.breadth))
            let grown = rect.grown(by: margin)
            guard grown.shortSide >= Self.minimumSide + 2 else { return nil }
            let q = grown.quad
            func back(_ p: Point) -> Point {
                Point(x: min(max(p.x * sx, 0), Double(image.width)), y: min(max(p.y * sy, 0), Double(image.height)))
            }
            let quad = Quad(topLeft: back(q.topLeft), topRight: back(q.topRight), bottomRight: back(q.bottomRight),
                            bottomLeft: back(q.bottomLeft))
            guard quad.width > 3, quad.height > 3 else { return nil }
            return (quad, score)
        }
    }
}

/// The detection network's output: one text likelihood a pixel.
struct ProbabilityMap {
    let values: [Float]
    let width: Int
    let height: Int

    /// A connected region of text pixels: the corners of its pixels' row runs (enough for its hull).
    struct Region {
        var pixels = 0
        var outline: [Point] = []
    }

    /// The regions above the threshold, dilated by one pixel (2×2, as PP-OCR does), 8-connected;
    /// at most `TextDetector.maxCandidates`, the largest.
    func boxes() -> [Region] {
        let count = width * height
        var text = [Bool](repeating: false, count: count)
        values.withUnsafeBufferPointer { map in
            text.withUnsafeMutableBufferPointer { out in
                for y in 0..<height {
                    for x in 0..<width {
                        let i = y * width + x
                        out[i] = map[i] > TextDetector.pixelThreshold
                            || (x > 0 && map[i - 1] > TextDetector.pixelThreshold)
                            || (y > 0 && map[i - width] > TextDetector.pixelThreshold)
                            || (x > 0 && y > 0 && map[i - width - 1] > TextDetector.pixelThreshold)
                    }
                }
            }
        }
        // Union-find over runs of text pixels, row by row.
        struct Run { var y: Int; var x0: Int; var x1: Int }  // x1 exclusive
        var runs: [Run] = []
        var rowStarts: [Int] = []
        text.withUnsafeBufferPointer { bits in
            for y in 0..<height {
                rowStarts.append(runs.count)
                var x = 0
                while x < width {
                    if bits[y * width + x] {
                        let start = x
                        while x < width, bits[y * width + x] { x += 1 }
                        runs.append(Run(y: y, x0: start, x1: x))
                    } else {
                        x += 1
                    }
                }
            }
        }
        rowStarts.append(runs.count)
        var sets = DisjointSets(count: runs.count)
        for y in 1..<max(height, 1) {
            var above = rowStarts[y - 1]
            let aboveEnd = rowStarts[y]
            for current in rowStarts[y]..<rowStarts[y + 1] {
                let run = runs[current]
                // 8-connected: runs touch when they overlap or meet at a corner.
                while above < aboveEnd, runs[above].x1 < run.x0 { above += 1 }
                var candidate = above
                while candidate < aboveEnd, runs[candidate].x0 <= run.x1 {
                    sets.join(candidate, current)
                    candidate += 1
                }
            }
        }
        var regions: [Int: Region] = [:]
        for (index, run) in runs.enumerated() {
            let root = sets.find(index)
            let y0 = Double(run.y), y1 = Double(run.y + 1), x0 = Double(run.x0), x1 = Double(run.x1)
            regions[root, default: Region()].pixels += run.x1 - run.x0
            regions[root]!.outline += [Point(x: x0, y: y0), Point(x: x1, y: y0), Point(x: x0, y: y1), Point(x: x1, y: y1)]
        }
        let all = regions.values.sorted { $0.pixels > $1.pixels }
        return Array(all.prefix(TextDetector.maxCandidates))
    }

    /// The mean of the map over the pixels whose centres lie inside `quad`.
    func meanInside(_ quad: Quad) -> Double {
        let corners = [quad.topLeft, quad.topRight, quad.bottomRight, quad.bottomLeft]
        let x0 = max(0, Int(corners.map(\.x).min()!.rounded(.down))), x1 = min(width - 1, Int(corners.map(\.x).max()!.rounded(.up)))
        let y0 = max(0, Int(corners.map(\.y).min()!.rounded(.down))), y1 = min(height - 1, Int(corners.map(\.y).max()!.rounded(.up)))
        guard x0 <= x1, y0 <= y1 else { return 0 }
        func side(_ a: Point, _ b: Point, _ x: Double, _ y: Double) -> Double { (b.x - a.x) * (y - a.y) - (b.y - a.y) * (x - a.x) }
        var sum = 0.0, n = 0
        values.withUnsafeBufferPointer { map in
            for y in y0...y1 {
                for x in x0...x1 {
                    let px = Double(x) + 0.5, py = Double(y) + 0.5
                    var inside = true
                    for k in 0..<4 where side(corners[k], corners[(k + 1) % 4], px, py) < 0 {
                        inside = false
                        break
                    }
                    if inside {
                        sum += Double(map[y * width + x])
                        n += 1
                    }
                }
            }
        }
        return n == 0 ? 0 : sum / Double(n)
    }
}

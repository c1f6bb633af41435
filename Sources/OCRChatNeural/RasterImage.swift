/// A page image as the neural models read it: 8-bit samples, blue, green, red (PP-OCR was trained
/// on OpenCV's channel order), rows top to bottom, no padding.
public struct RasterImage: Sendable {
    public let width: Int
    public let height: Int
    /// `width × height × 3` samples.
    public let samples: [UInt8]

    /// An image from its samples; nil when their count does not match the size.
    public init?(width: Int, height: Int, bgr samples: [UInt8]) {
        guard width > 0, height > 0, samples.count == width * height * 3 else { return nil }
        self.width = width
        self.height = height
        self.samples = samples
    }

    /// An image from Leptonica's 32-bit pixels (one word each, red in the top byte, then green,
    /// then blue), rows `wordsPerLine` words apart.
    public init?(leptonicaWords data: UnsafePointer<UInt32>, width: Int, height: Int, wordsPerLine: Int) {
        guard width > 0, height > 0, wordsPerLine >= width else { return nil }
        var samples = [UInt8](repeating: 0, count: width * height * 3)
        samples.withUnsafeMutableBufferPointer { out in
            for y in 0..<height {
                let row = data + y * wordsPerLine
                for x in 0..<width {
                    let word = row[x]
                    let index = (y * width + x) * 3
                    out[index] = UInt8((word >> 8) & 0xff)
                    out[index + 1] = UInt8((word >> 16) & 0xff)
                    out[index + 2] = UInt8(word >> 24)
                }
            }
        }
        self.init(width: width, height: height, bgr: samples)
    }

    /// The sample of channel `channel` at a point, bilinear between the four pixels around it;
    /// outside the image, the nearest edge pixel.
    @inline(__always)
    func sample(x: Double, y: Double, channel: Int) -> Double {
        let fx = min(max(x - 0.5, 0), Double(width - 1))
        let fy = min(max(y - 0.5, 0), Double(height - 1))
        let x0 = Int(fx), y0 = Int(fy)
        let x1 = min(x0 + 1, width - 1), y1 = min(y0 + 1, height - 1)
        let ax = fx - Double(x0), ay = fy - Double(y0)
        return samples.withUnsafeBufferPointer { pixels in
            let top = Double(pixels[(y0 * width + x0) * 3 + channel]) * (1 - ax) + Double(pixels[(y0 * width + x1) * 3 + channel]) * ax
            let bottom = Double(pixels[(y1 * width + x0) * 3 + channel]) * (1 - ax) + Double(pixels[(y1 * width + x1) * 3 + channel]) * ax
            return top * (1 - ay) + bottom * ay
        }
    }
}

/// Where each pixel of a network's input comes from: `origin + u·xStep + v·yStep` in the page
/// image, for output column u and row v (a scaled page, or a turned text line cut out of it).
struct SamplingGrid {
    var originX: Double, originY: Double
    var xStepX: Double, xStepY: Double
    var yStepX: Double, yStepY: Double

    /// Samples per output pixel along each axis, so that shrinking by more than half averages
    /// the pixels it passes over instead of skipping them.
    var supersampling: Int {
        let stride = max((xStepX * xStepX + xStepY * xStepY).squareRoot(), (yStepX * yStepX + yStepY * yStepY).squareRoot())
        return min(4, max(1, Int(stride.rounded(.up))))
    }
}

extension RasterImage {
    /// Fills `columns × rows` of a planar, normalised ((v/255 − 0.5)/0.5) three-channel tensor
    /// at `offset` (planes `planeStride` apart, rows `rowStride` apart) from the grid.
    func fill(_ tensor: inout [Float], offset: Int, planeStride: Int, rowStride: Int, columns: Int, rows: Int,
              grid: SamplingGrid) {
        let n = grid.supersampling
        let weight = 1 / Double(n * n)
        tensor.withUnsafeMutableBufferPointer { out in
            for v in 0..<rows {
                for u in 0..<columns {
                    var sums = (0.0, 0.0, 0.0)
                    for sv in 0..<n {
                        for su in 0..<n {
                            let du = Double(u) + (Double(su) + 0.5) / Double(n)
                            let dv = Double(v) + (Double(sv) + 0.5) / Double(n)
                            let x = grid.originX + du * grid.xStepX + dv * grid.yStepX
                            let y = grid.originY + du * grid.xStepY + dv * grid.yStepY
                            sums.0 += sample(x: x, y: y, channel: 0)
                            sums.1 += sample(x: x, y: y, channel: 1)
                            sums.2 += sample(x: x, y: y, channel: 2)
                        }
                    }
                    let index = offset + v * rowStride + u
                    out[index] = Float(sums.0 * weight / 127.5 - 1)
                    out[index + planeStride] = Float(sums.1 * weight / 127.5 - 1)
                    out[index + 2 * planeStride] = Float(sums.2 * weight / 127.5 - 1)
                }
            }
        }
    }
}

import Foundation

/// A box in page pixels, origin at the top left: `[x0, y0, x1, y1]` with x0 ≤ x1 and y0 ≤ y1.
public struct BoundingBox: Codable, Sendable, Equatable, Hashable {
    public var x0: Int
    public var y0: Int
    public var x1: Int
    public var y1: Int

    public init(x0: Int, y0: Int, x1: Int, y1: Int) {
        self.x0 = min(x0, x1)
        self.y0 = min(y0, y1)
        self.x1 = max(x0, x1)
        self.y1 = max(y0, y1)
    }

    public var width: Int { x1 - x0 }
    public var height: Int { y1 - y0 }

    /// The smallest box holding all of `boxes`, or nil for none.
    public static func union<S: Sequence>(_ boxes: S) -> BoundingBox? where S.Element == BoundingBox {
        var iterator = boxes.makeIterator()
        guard var result = iterator.next() else { return nil }
        while let box = iterator.next() {
            result = BoundingBox(x0: min(result.x0, box.x0), y0: min(result.y0, box.y0),
                                 x1: max(result.x1, box.x1), y1: max(result.y1, box.y1))
        }
        return result
    }

    /// The point (`x`, `y`) turned by `radians` about (`centerX`, `centerY`), clockwise on a page
    /// (whose y axis points down): how a page turned a few degrees moves what is printed on it.
    public static func turning(x: Double, y: Double, by radians: Double, centerX: Double, centerY: Double) -> (x: Double, y: Double) {
        let dx = x - centerX, dy = y - centerY
        return (centerX + dx * cos(radians) - dy * sin(radians), centerY + dx * sin(radians) + dy * cos(radians))
    }

    /// Whether the box lies inside a page of the given size.
    public func isInside(width: Int, height: Int) -> Bool {
        x0 >= 0 && y0 >= 0 && x1 <= width && y1 <= height
    }

    public init(from decoder: any Decoder) throws {
        var container = try decoder.unkeyedContainer()
        let x0 = try container.decode(Int.self)
        let y0 = try container.decode(Int.self)
        let x1 = try container.decode(Int.self)
        let y1 = try container.decode(Int.self)
        self.init(x0: x0, y0: y0, x1: x1, y1: y1)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.unkeyedContainer()
        try container.encode(x0)
        try container.encode(y0)
        try container.encode(x1)
        try container.encode(y1)
    }
}

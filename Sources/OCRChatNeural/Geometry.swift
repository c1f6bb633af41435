import Foundation

/// A point in image pixels (x right, y down).
struct Point: Equatable, Sendable {
    var x: Double
    var y: Double
}

/// A rectangle at any angle: the text box detection finds, its corners clockwise from the top
/// left as the text reads.
struct Quad: Equatable, Sendable {
    var topLeft: Point, topRight: Point, bottomRight: Point, bottomLeft: Point

    var width: Double { max(distance(topLeft, topRight), distance(bottomLeft, bottomRight)) }
    var height: Double { max(distance(topLeft, bottomLeft), distance(topRight, bottomRight)) }

    /// The point at (u, v) of the quad's own frame: u along the top edge, v down the left edge, both 0…1.
    func point(u: Double, v: Double) -> Point {
        let top = Point(x: topLeft.x + (topRight.x - topLeft.x) * u, y: topLeft.y + (topRight.y - topLeft.y) * u)
        let bottom = Point(x: bottomLeft.x + (bottomRight.x - bottomLeft.x) * u,
                           y: bottomLeft.y + (bottomRight.y - bottomLeft.y) * u)
        return Point(x: top.x + (bottom.x - top.x) * v, y: top.y + (bottom.y - top.y) * v)
    }

    /// The upright box around the part of the quad between u0 and u1 along its text.
    func bounds(fromU u0: Double, toU u1: Double) -> (x0: Double, y0: Double, x1: Double, y1: Double) {
        let corners = [point(u: u0, v: 0), point(u: u1, v: 0), point(u: u1, v: 1), point(u: u0, v: 1)]
        return (corners.map(\.x).min()!, corners.map(\.y).min()!, corners.map(\.x).max()!, corners.map(\.y).max()!)
    }

    /// The same box read the other way up.
    var turnedHalf: Quad { Quad(topLeft: bottomRight, topRight: bottomLeft, bottomRight: topLeft, bottomLeft: topRight) }
}

func distance(_ a: Point, _ b: Point) -> Double {
    ((a.x - b.x) * (a.x - b.x) + (a.y - b.y) * (a.y - b.y)).squareRoot()
}

/// A rectangle of least area around a set of points: its centre, its sides and the angle of
/// its first side.
struct RotatedRect: Equatable {
    var centerX: Double, centerY: Double
    /// Along the angle's direction, and across it.
    var length: Double, breadth: Double
    /// Radians; the direction of `length`.
    var angle: Double

    var shortSide: Double { min(length, breadth) }

    /// The rectangle grown by `margin` on every side.
    func grown(by margin: Double) -> RotatedRect {
        RotatedRect(centerX: centerX, centerY: centerY, length: length + 2 * margin, breadth: breadth + 2 * margin, angle: angle)
    }

    /// The corners as a quad whose top edge is the longer side nearest to horizontal, read left to right.
    var quad: Quad {
        // Put the long side along u, pointing right; v then points down.
        var (ux, uy) = (cos(angle), sin(angle))
        var (long, short) = (length, breadth)
        if breadth > length {
            (ux, uy) = (-uy, ux)
            (long, short) = (breadth, length)
        }
        if ux < 0 || (ux == 0 && uy < 0) { (ux, uy) = (-ux, -uy) }
        let (vx, vy) = (-uy, ux)  // y grows downwards: this points down when u points right
        let hl = long / 2, hs = short / 2
        func corner(_ a: Double, _ b: Double) -> Point {
            Point(x: centerX + ux * a + vx * b, y: centerY + uy * a + vy * b)
        }
        return Quad(topLeft: corner(-hl, -hs), topRight: corner(hl, -hs), bottomRight: corner(hl, hs),
                    bottomLeft: corner(-hl, hs))
    }

    /// The rectangle of least area around `points` (rotating calipers over their convex hull).
    static func enclosing(_ points: [Point]) -> RotatedRect? {
        let hull = convexHull(points)
        guard hull.count >= 3 else {
            guard let first = hull.first else { return nil }
            let last = hull.last!
            let dx = last.x - first.x, dy = last.y - first.y
            return RotatedRect(centerX: (first.x + last.x) / 2, centerY: (first.y + last.y) / 2,
                               length: (dx * dx + dy * dy).squareRoot(), breadth: 0, angle: atan2(dy, dx))
        }
        var best: RotatedRect?
        var bestArea = Double.infinity
        for index in hull.indices {
            let a = hull[index], b = hull[(index + 1) % hull.count]
            let edge = distance(a, b)
            guard edge > 0 else { continue }
            let (ux, uy) = ((b.x - a.x) / edge, (b.y - a.y) / edge)
            var (minU, maxU, minV, maxV) = (Double.infinity, -Double.infinity, Double.infinity, -Double.infinity)
            for p in hull {
                let u = p.x * ux + p.y * uy, v = -p.x * uy + p.y * ux
                minU = min(minU, u); maxU = max(maxU, u); minV = min(minV, v); maxV = max(maxV, v)
            }
            let area = (maxU - minU) * (maxV - minV)
            if area < bestArea {
                bestArea = area
                let cu = (minU + maxU) / 2, cv = (minV + maxV) / 2
                best = RotatedRect(centerX: cu * ux - cv * uy, centerY: cu * uy + cv * ux,
                                   length: maxU - minU, breadth: maxV - minV, angle: atan2(uy, ux))
            }
        }
        return best
    }
}

/// The convex hull, counter-clockwise in a y-up frame (Andrew's monotone chain).
func convexHull(_ points: [Point]) -> [Point] {
    let sorted = points.sorted { $0.x != $1.x ? $0.x < $1.x : $0.y < $1.y }
    guard sorted.count > 2 else { return sorted }
    func cross(_ o: Point, _ a: Point, _ b: Point) -> Double { (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x) }
    var lower: [Point] = []
    for p in sorted {
        while lower.count >= 2, cross(lower[lower.count - 2], lower[lower.count - 1], p) <= 0 { lower.removeLast() }
        lower.append(p)
    }
    var upper: [Point] = []
    for p in sorted.reversed() {
        while upper.count >= 2, cross(upper[upper.count - 2], upper[upper.count - 1], p) <= 0 { upper.removeLast() }
        upper.append(p)
    }
    return Array(lower.dropLast() + upper.dropLast())
}

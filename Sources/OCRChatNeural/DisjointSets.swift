/// Groups of the numbers `0..<count`, joined pair by pair (union-find with path halving): the
/// connected regions of the detection map, and the overlapping lines of two readings.
public struct DisjointSets: Sendable {
    private var parent: [Int]

    public init(count: Int) {
        parent = Array(0..<count)
    }

    /// The number that stands for the group `element` is in.
    public mutating func find(_ element: Int) -> Int {
        var element = element
        while parent[element] != element {
            parent[element] = parent[parent[element]]
            element = parent[element]
        }
        return element
    }

    /// Puts the groups of `a` and `b` together; the smaller number stands for the whole.
    public mutating func join(_ a: Int, _ b: Int) {
        let (x, y) = (find(a), find(b))
        if x != y { parent[max(x, y)] = min(x, y) }
    }
}

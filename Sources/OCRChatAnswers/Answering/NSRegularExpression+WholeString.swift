import Foundation

extension NSRegularExpression {
    /// Every match in the whole of `string` (ranges in UTF-16 offsets, as `NSString` counts them).
    func matches(inWhole string: String) -> [NSTextCheckingResult] {
        matches(in: string, range: NSRange(location: 0, length: (string as NSString).length))
    }
}

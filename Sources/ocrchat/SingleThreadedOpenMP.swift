import Foundation

/// Makes sure the process runs with `OMP_THREAD_LIMIT` set, and with glibc's allocator held to a
/// few arenas, re-executing itself once if either is missing.
///
/// Both are read once, when the libraries load, before any Swift code runs. The allocator setting
/// keeps memory flat over long files: glibc gives each thread that allocates (recognition threads,
/// Dispatch threads that render pages, the cooperative pool) an arena of its own, up to eight a
/// core, and a page image freed in one arena is not reused by another, so without a bound the peak
/// grows with the number of threads that ever touched a page. A value the user set is kept.
enum SingleThreadedOpenMP {
    static let variable = "OMP_THREAD_LIMIT"
    /// What the process needs in its environment from the start, and the value used when unset.
    static let required: [(name: String, value: String)] = [
        (variable, "1"),
        ("MALLOC_ARENA_MAX", "2"),
    ]

    static func ensure() {
        let missing = required.filter { getenv($0.name) == nil }
        guard !missing.isEmpty else { return }
        for (name, value) in missing { setenv(name, value, 1) }
        // On success execv does not return; on failure carry on (slower, but working).
        execv("/proc/self/exe", CommandLine.unsafeArgv)
        if missing.contains(where: { $0.name == variable }) {
            FileHandle.standardError.write(Data("ocrchat: warning: could not restart with \(variable)=1; pages will be slow\n".utf8))
        }
    }
}

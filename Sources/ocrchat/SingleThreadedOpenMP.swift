import Foundation

/// Makes sure the process runs with `OMP_THREAD_LIMIT` set, re-executing itself once if it is
/// missing (OpenMP reads it when the library loads, before any Swift code runs), and with glibc's
/// allocator held to a few arenas.
///
/// The allocator setting is made with `mallopt` before any other thread starts (a re-execution
/// only for it would cost a second process start on every run). It keeps memory flat over long files: glibc gives each thread that allocates (recognition threads,
/// Dispatch threads that render pages, the cooperative pool) an arena of its own, up to eight a
/// core, and a page image freed in one arena is not reused by another, so without a bound the peak
/// grows with the number of threads that ever touched a page. A value the user set is kept.
enum SingleThreadedOpenMP {
    static let variable = "OMP_THREAD_LIMIT"
    /// What the process needs in its environment from the start, and the value used when unset.
    static let value = "1"
    /// Arenas glibc's allocator may use, unless `MALLOC_ARENA_MAX` says otherwise.
    static let arenas: Int32 = 2
    /// Set when ocrchat had to add the limit itself, so that `ocrchat doctor` can tell the operator.
    static let setBySelfMarker = "OCRCHAT_OMP_LIMIT_ADDED"

    static func ensure() {
        if getenv("MALLOC_ARENA_MAX") == nil {
            limitArenas()
        }
        guard getenv(variable) == nil else { return }
        setenv(variable, value, 1)
        setenv(setBySelfMarker, "1", 1)
        // On success execv does not return; on failure carry on (slower, but working).
        execv("/proc/self/exe", CommandLine.unsafeArgv)
        FileHandle.standardError.write(Data("ocrchat: warning: could not restart with \(variable)=1; pages will be slow\n".utf8))
    }

    /// `mallopt(M_ARENA_MAX, arenas)`: declared in <malloc.h>, which Swift's Glibc module leaves
    /// out, so it is looked up in the C library already loaded.
    private static func limitArenas() {
        typealias MallOpt = @convention(c) (Int32, Int32) -> Int32
        let arenaMax: Int32 = -8  // M_ARENA_MAX
        guard let symbol = dlsym(nil, "mallopt") else { return }
        _ = unsafeBitCast(symbol, to: MallOpt.self)(arenaMax, arenas)
    }
}

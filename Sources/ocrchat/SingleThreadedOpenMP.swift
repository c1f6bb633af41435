import Foundation

/// Makes sure the process runs with `OMP_THREAD_LIMIT` set, re-executing itself once if not.
enum SingleThreadedOpenMP {
    static let variable = "OMP_THREAD_LIMIT"

    static func ensure() {
        guard getenv(variable) == nil else { return }
        setenv(variable, "1", 1)
        // On success execv does not return; on failure carry on (slower, but working).
        execv("/proc/self/exe", CommandLine.unsafeArgv)
        FileHandle.standardError.write(Data("ocrchat: warning: could not restart with \(variable)=1; pages will be slow\n".utf8))
    }
}

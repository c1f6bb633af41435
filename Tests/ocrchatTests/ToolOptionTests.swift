import Foundation
import Testing

/// `--tool` on the command line, with the real binary and engine.
@Suite("ocrchat convert --tool", .oneMachineSlot)
struct ToolOptionTests {
    @Test("--tool extract-tables: the csv is the table found on the page, cell by cell")
    func extractTables() async throws {
        let run = try await ConvertCommandTests.ocrchat(["convert", "--tool", "extract-tables", "--format", "csv",
                                                   ConvertCommandTests.sample("layout-borderless-table.png")])
        #expect(run.status == 0)
        #expect(run.stdout.contains("table,page,row,column 1,column 2,column 3,column 4\r\n1,1,1,Cargo,Tons,Ships,Value\r\n"))
        #expect(run.stdout.contains("1,1,6,Salt,310,6,\"1,150\"\r\n"))
    }

    @Test("an unknown --tool is refused with the choices, before any work")
    func unknownTool() async throws {
        let run = try await ConvertCommandTests.ocrchat(["convert", "--tool", "bogus", ConvertCommandTests.sample("phototest.png")])
        #expect(run.status != 0)
        #expect(run.stderr.contains("extract-tables"))
    }
}

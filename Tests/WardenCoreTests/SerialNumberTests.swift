import Foundation
import Testing
import WardenCore

@Suite struct SerialNumberTests {
    @Test func decimalAndHexAgree() throws {
        let decimal = try #require(SerialNumber(parsing: "64398116588063115916488259405594320453"))
        let hex = try #require(SerialNumber(parsing: "0x3072a048bd2f573ebfb7861e1f615e45"))
        let colons = try #require(SerialNumber(parsing: "30:72:A0:48:BD:2F:57:3E:BF:B7:86:1E:1F:61:5E:45"))
        #expect(decimal == hex)
        #expect(hex == colons)
        #expect(decimal.hex == "3072a048bd2f573ebfb7861e1f615e45")
        #expect(hex.decimal == "64398116588063115916488259405594320453")
    }

    @Test func smallValuesAndLeadingZeros() {
        #expect(SerialNumber(decimal: "0")?.decimal == "0")
        #expect(SerialNumber(decimal: "255")?.bytes == [0xff])
        #expect(SerialNumber(decimal: "256")?.bytes == [0x01, 0x00])
        #expect(SerialNumber(bytes: [0, 0, 1]).decimal == "1")
        #expect(SerialNumber(hex: "00ff") == SerialNumber(decimal: "255"))
    }

    @Test(arguments: ["", "12a", "0xzz", "-5", "1.5", String(repeating: "9", count: 100)])
    func rejectsMalformed(text: String) {
        #expect(SerialNumber(parsing: text) == nil)
    }

    @Test func ordersNumerically() {
        #expect(SerialNumber(decimal: "9")! < SerialNumber(decimal: "10")!)
        #expect(SerialNumber(decimal: "256")! > SerialNumber(decimal: "255")!)
    }
}

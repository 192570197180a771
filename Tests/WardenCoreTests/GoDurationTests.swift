import Foundation
import Testing
import WardenCore

@Suite struct GoDurationTests {
    @Test(arguments: [
        ("5m", Int64(300_000_000_000)), ("24h", 86_400_000_000_000), ("1h30m", 5_400_000_000_000), ("1.5s", 1_500_000_000),
        ("300ms", 300_000_000), ("0", 0), ("2h45m10s", 9_910_000_000_000), ("-5m", -300_000_000_000), ("10us", 10_000),
    ])
    func parsesGoSyntax(text: String, nanoseconds: Int64) {
        #expect(GoDuration(parsing: text)?.nanoseconds == nanoseconds)
    }

    @Test(arguments: ["", "5", "m", "5x", "1..5s", "h1", "5m-3s", " 5m"])
    func rejectsWhatGoRejects(text: String) {
        #expect(GoDuration(parsing: text) == nil)
    }

    @Test func formatsLikeGo() {
        #expect(GoDuration.minutes(5).description == "5m0s")
        #expect(GoDuration.hours(24).description == "24h0m0s")
        #expect(GoDuration(nanoseconds: 1_500_000_000).description == "1.5s")
        #expect(GoDuration(nanoseconds: 300_000_000).description == "300ms")
        #expect(GoDuration(nanoseconds: 0).description == "0s")
        #expect(GoDuration(parsing: "1h0m30s")!.description == "1h0m30s")
    }

    @Test func roundTripsThroughJSON() throws {
        let data = try JSONEncoder().encode(["d": GoDuration.hours(2)])
        #expect(String(decoding: data, as: UTF8.self) == #"{"d":"2h0m0s"}"#)
        let decoded = try JSONDecoder().decode([String: GoDuration].self, from: data)
        #expect(decoded["d"] == .hours(2))
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([String: GoDuration].self, from: Data(#"{"d":"soon"}"#.utf8)) }
    }
}

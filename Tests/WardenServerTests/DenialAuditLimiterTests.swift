import Foundation
import Testing

@testable import WardenServer

@Suite struct DenialAuditLimiterTests {
    let start = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func eachAddressIsBoundedPerWindowAndTheGapIsCounted() {
        let limiter = DenialAuditLimiter(window: 60, perAddress: 3, overall: 100, now: start)
        let first = (0..<5).map { limiter.decide(address: "10.0.0.1", now: start.addingTimeInterval(Double($0))) }
        #expect(first.map(\.record) == [true, true, true, false, false])
        // Another address has its own allowance.
        #expect(limiter.decide(address: "10.0.0.2", now: start.addingTimeInterval(5)).record)
        // Next window: recorded again, saying how many were left out.
        #expect(limiter.decide(address: "10.0.0.1", now: start.addingTimeInterval(61)) == .init(record: true, suppressedBefore: 2))
        #expect(limiter.decide(address: "10.0.0.1", now: start.addingTimeInterval(62)) == .init(record: true, suppressedBefore: 0))
    }

    @Test func manyAddressesAreBoundedOverall() {
        let limiter = DenialAuditLimiter(window: 60, perAddress: 3, overall: 10, trackedAddresses: 4, now: start)
        let recorded = (0..<50).filter { limiter.decide(address: "10.0.1.\($0)", now: start.addingTimeInterval(1)).record }.count
        #expect(recorded == 10)
        #expect(limiter.decide(address: "10.0.2.1", now: start.addingTimeInterval(61)).record)
    }
}

import Foundation
import Testing
import WardenCore

@Suite struct ClaimsTests {
    @Test func validClaimsPass() throws {
        try Claims(minTLSCertDuration: .minutes(5), maxTLSCertDuration: .hours(24), defaultTLSCertDuration: .hours(1)).validate()
    }

    @Test func minAboveMaxIsRejectedNamingTheField() {
        #expect {
            try Claims(minTLSCertDuration: .hours(2), maxTLSCertDuration: .hours(1)).validate()
        } throws: { error in
            (error as? WardenError)?.code == .badRequest && (error as? WardenError)?.message.contains("minTLSCertDuration") == true
        }
    }

    @Test func defaultOutsideBoundsIsRejected() {
        #expect(throws: WardenError.badRequest("")) {
            try Claims(minTLSCertDuration: .hours(1), maxTLSCertDuration: .hours(2), defaultTLSCertDuration: .hours(3)).validate()
        }
        #expect(throws: WardenError.badRequest("")) {
            try Claims(minTLSCertDuration: .hours(1), defaultTLSCertDuration: .minutes(5)).validate()
        }
    }

    @Test func nonPositiveDurationIsRejected() {
        #expect(throws: WardenError.badRequest("")) {
            try Claims(maxTLSCertDuration: GoDuration(nanoseconds: 0)).validate()
        }
    }

    @Test func layeringPrefersTheMostSpecific() {
        let authority = Claims(maxTLSCertDuration: .hours(48), defaultTLSCertDuration: .hours(12))
        let provisioner = Claims(defaultTLSCertDuration: .hours(2), disableRenewal: true)
        let policy = ClaimsPolicy(layering: [authority, provisioner])
        #expect(policy.minDuration == .minutes(5))
        #expect(policy.maxDuration == .hours(48))
        #expect(policy.defaultDuration == .hours(2))
        #expect(policy.disableRenewal)
        #expect(!policy.allowRenewalAfterExpiry)
    }

    @Test func lifetimeCheckHonoursBoundsWithOneMinuteSlack() throws {
        let policy = ClaimsPolicy.stepDefaults
        try policy.check(lifetime: 24 * 3600)
        try policy.check(lifetime: 24 * 3600 + 30)  // within the minute of slack
        try policy.check(lifetime: 5 * 60)
        try policy.check(lifetime: 4 * 60 + 1)
        func refusal(_ seconds: Double) -> String? {
            do {
                try policy.check(lifetime: seconds)
                return nil
            } catch {
                #expect(error.code == .forbidden)
                return error.message
            }
        }
        #expect(refusal(24 * 3600 + 61)?.contains("more than the authorized maximum certificate duration of 24h0m0s") == true)
        #expect(refusal(3 * 60 + 59)?.contains("less than the authorized minimum certificate duration of 5m0s") == true)
        #expect(refusal(25 * 3600)?.contains("requested duration of 25h0m0s") == true)
    }

    /// Lifetimes a client can ask for with RFC 3339 times at the ends of the calendar: checked without a trap.
    @Test(arguments: [1e300, -1e300, Double.infinity, -Double.infinity, Double.nan, 9.3e18, 315_537_897_599])
    func absurdLifetimesAreRefusedWithoutTrapping(_ seconds: Double) {
        #expect(throws: WardenError.forbidden("")) { try ClaimsPolicy.stepDefaults.check(lifetime: seconds) }
    }
}

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
        try policy.check(lifetime: .hours(24))
        try policy.check(lifetime: .minutes(5))
        #expect(throws: WardenError.forbidden("")) { try policy.check(lifetime: .hours(25)) }
        #expect(throws: WardenError.forbidden("")) { try policy.check(lifetime: .minutes(1)) }
    }
}

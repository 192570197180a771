import Crypto
import Foundation
import Synchronization
import X509

/// Certificate chains that already passed verification against the CA's roots, kept parsed, so an admin's next
/// request with the same certificate skips both parsing the x5c chain and walking it (one ECDSA verification
/// per link: together the largest cost of an admin request in profiles). Only the chain result is remembered, with the window in which every
/// certificate of the chain is valid; revocation and the admin match are still read from the database on
/// every request, so a revoked certificate or a removed admin is refused at once.
final class VerifiedChainCache: Sendable {
    struct Entry: Sendable {
        var chain: [Certificate]
        var validFrom: Date
        var validUntil: Date
    }

    private let entries = Mutex<[SHA256Digest: Entry]>([:])
    let capacity: Int

    init(capacity: Int = 4096) {
        self.capacity = capacity
    }

    /// Identifies a presented chain by its bytes (leaf first).
    static func key(_ chainDER: [[UInt8]]) -> SHA256Digest {
        var hasher = SHA256()
        for der in chainDER {
            withUnsafeBytes(of: UInt32(der.count).bigEndian) { hasher.update(bufferPointer: $0) }
            hasher.update(data: der)
        }
        return hasher.finalize()
    }

    /// The verified chain (leaf first) when these bytes were verified before and are still valid at `now`.
    func verifiedChain(_ key: SHA256Digest, at now: Date) -> [Certificate]? {
        entries.withLock { entries in
            guard let entry = entries[key], entry.validFrom <= now, now <= entry.validUntil else { return nil }
            return entry.chain
        }
    }

    func remember(_ key: SHA256Digest, chain: [Certificate], validFrom: Date, validUntil: Date) {
        entries.withLock { entries in
            // A full cache starts over rather than tracking recency: admin certificates are few and short-lived.
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[key] = Entry(chain: chain, validFrom: validFrom, validUntil: validUntil)
        }
    }
}

import Crypto
import Foundation
import Testing
import WardenCore
import WardenPKI

@Suite struct KeyFileTests {
    @Test func sealedKeyOpensWithThePasswordOnly() throws {
        let key = P256.Signing.PrivateKey()
        let pem = try EncryptedPrivateKeyFile.seal(key, password: Array("pw".utf8), iterations: 1000)
        #expect(pem.hasPrefix("-----BEGIN ENCRYPTED PRIVATE KEY-----"))
        let opened = try EncryptedPrivateKeyFile.open(pem: pem, password: Array("pw".utf8))
        #expect(opened.rawRepresentation == key.rawRepresentation)
        #expect(throws: WardenError.unauthorized("")) { try EncryptedPrivateKeyFile.open(pem: pem, password: Array("nope".utf8)) }
        #expect(throws: WardenError.unauthorized("")) { try EncryptedPrivateKeyFile.open(pem: pem, password: nil) }
    }

    /// The file is standard PKCS#8 PBES2: openssl must read it with the same password.
    @Test
    func opensslReadsSealedKeys() throws {
        let key = P256.Signing.PrivateKey()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let keyPath = dir.appendingPathComponent("key.pem").path
        let pwPath = dir.appendingPathComponent("pw").path
        try EncryptedPrivateKeyFile.seal(key, password: Array("s3cret".utf8), iterations: 1000).write(
            toFile: keyPath, atomically: true, encoding: .utf8)
        try "s3cret".write(toFile: pwPath, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = ["ec", "-in", keyPath, "-passin", "file:\(pwPath)", "-pubout"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = Pipe()
        try process.run()
        process.waitUntilExit()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 0)
        #expect(output.trimmingCharacters(in: .whitespacesAndNewlines) == key.publicKey.pemRepresentation)
    }

    @Test func plainPEMKeysAreAcceptedWithoutPassword() throws {
        let key = P256.Signing.PrivateKey()
        let opened = try EncryptedPrivateKeyFile.open(pem: key.pemRepresentation, password: nil)
        #expect(opened.rawRepresentation == key.rawRepresentation)
        #expect(throws: WardenError.badRequest("")) { try EncryptedPrivateKeyFile.open(pem: "garbage", password: nil) }
    }
}

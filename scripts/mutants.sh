#!/usr/bin/env bash
# Mutation check: applies, one at a time, deliberate faults to security- and correctness-critical lines
# (signature and chain checks, revocation, roles, replay, audience, time and lifetime bounds, redaction, the
# lock of the last-super-admin rule, commit-before-respond, the change feed, identity by id, input rules),
# rebuilds, runs the tests that cover the line, and reports which faults no test noticed. Every file is
# restored afterwards (and on interruption). Not part of .ci/run: it takes about an hour.
#   scripts/mutants.sh [ID...]        (default: all; WARDEN_TEST_DATABASE_URL as for scripts/test.sh)
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
if [ -n "$(git status --porcelain -- Sources tui)" ]; then echo "mutants: Sources/ or tui/ has uncommitted changes; commit or stash them first"; exit 2; fi
cluster=
restore() {
  git checkout -q -- Sources tui
  [ -n "$cluster" ] && "$root/scripts/postgres-cluster.sh" stop "$cluster/data" && rm -rf "$cluster"
}
trap restore EXIT
trap 'exit 130' INT TERM
if [ -z "${WARDEN_TEST_DATABASE_URL:-}" ]; then
  cluster=$(mktemp -d /tmp/warden-mutants-pg.XXXXXX); chmod 755 "$cluster"
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  WARDEN_TEST_DATABASE_URL=$(WARDEN_PG_THROWAWAY=1 "$root/scripts/postgres-cluster.sh" start "$cluster/data" "$port") || exit 1
  export WARDEN_TEST_DATABASE_URL
fi

# id | file | exact original text (must occur once) | replacement | tests: swift:<filter regex> or script:<path>
mutants=$(cat <<'TABLE'
jwk-signature|Sources/WardenServer/TokenAuthorizer.swift|            try token.verifySignature(with: key)|            _ = key|swift:BadInputTests
x5c-signature|Sources/WardenServer/TokenAuthorizer.swift|        try token.verifySignature(with: key)\n        return chain|        _ = key\n        return chain|swift:x5cProvisionerIssuesForItsChainOnly
x5c-chain|Sources/WardenServer/TokenAuthorizer.swift|                leaf: leaf, presentedIntermediates: Array(chain.dropFirst()), now: now)|                leaf: leaf, presentedIntermediates: Array(chain.dropFirst()), expiry: .ignore, now: now.addingTimeInterval(-7200))|swift:x5cProvisionerIssuesForItsChainOnly
admin-token-signature|Sources/WardenServer/AdminAuthenticator.swift|            try token.verifySignature(with: publicKey)|            _ = publicKey|swift:AdminAuthenticationTests
admin-token-chain|Sources/WardenServer/AdminAuthenticator.swift|            if !verified { try await verifyChain(chain, key: key, now: now) }|            _ = verified|swift:AdminAuthenticationTests
admin-mtls-chain|Sources/WardenServer/AdminAuthenticator.swift|                try await verifyChain([peer], key: key, now: now)|                _ = key|swift:AdminAuthenticationTests
admin-revoked|Sources/WardenServer/AdminAuthenticator.swift|        if standing.revoked {|        if standing.revoked && false {|swift:AdminAuthenticationTests
renew-revoked|Sources/WardenServer/Authority.swift|        if try await revocations.isRevoked(serial: serial, logger: logger) {|        if try await revocations.isRevoked(serial: serial, logger: logger) && false {|swift:IssuanceEndToEndTests
role-super-admin|Sources/WardenServer/WardenRequestContext.swift|        if role == .superAdmin && admin.admin.role != .superAdmin {|        if role == .superAdmin && admin.admin.role != .superAdmin && false {|swift:AdminAPITests
held-super-admin|Sources/WardenStore/ProvisionerRepository.swift|audit, when: held.superAdmins > 0,|audit, when: held.superAdmins > 99,|swift:PrivilegeBoundaryTests
held-admins|Sources/WardenStore/ProvisionerRepository.swift|audit, when: held.all > 0,|audit, when: held.all > 99,|swift:PrivilegeBoundaryTests
ott-replay|Sources/WardenServer/TokenAuthorizer.swift|            usedToken: UsedToken(id: "\(providerID):\(token.replayID)"|            usedToken: UsedToken(id: "\(providerID):\(UUID())"|swift:BadInputTests
admin-replay|Sources/WardenServer/AdminAuthenticator.swift|            guard fresh else { throw WardenError.unauthorized("token already used") }|            _ = fresh|swift:AdminAuthenticationTests
admin-replay-malleable|Sources/WardenPKI/OneTimeToken.swift|        return SHA256.hash(data: signingInput).map { byte in|        return SHA256.hash(data: Data(raw.utf8)).map { byte in|swift:PrivilegeBoundaryTests
ott-audience|Sources/WardenServer/TokenAuthorizer.swift|        guard let aud = claims.aud?.values, audience.accepts(aud) else {|        guard let aud = claims.aud?.values, audience.accepts(aud) == audience.accepts(aud) else {|swift:BadInputTests
admin-audience|Sources/WardenServer/AdminAuthenticator.swift|            guard let aud = claims.aud?.values, audience.accepts(aud) else {|            guard let aud = claims.aud?.values, audience.accepts(aud) == audience.accepts(aud) else {|swift:AdminAuthenticationTests
ott-expiry|Sources/WardenServer/TokenAuthorizer.swift|        if let exp = claims.exp, t > exp + Self.leeway {|        if let exp = claims.exp, t > exp + 86400 {|swift:BadInputTests
ott-not-before|Sources/WardenServer/TokenAuthorizer.swift|        if let nbf = claims.nbf, t + Self.leeway < nbf {|        if let nbf = claims.nbf, t + 86400 < nbf {|swift:BadInputTests
lifetime-max|Sources/WardenCore/Claims.swift|        if !(seconds <= maxDuration.seconds + slack) {|        if !(seconds <= maxDuration.seconds * 1000 + slack) {|swift:BadInputTests|ClaimsTests
requested-not-after|Sources/WardenCore/RequestedValidity.swift|        var end = requestedAfter ?? start.addingTimeInterval(policy.defaultDuration.seconds)|        var end = start.addingTimeInterval(policy.defaultDuration.seconds)|swift:IssuanceEndToEndTests
public-redaction|Sources/WardenServer/PublicRoutes.swift|        guard provisioner.type == .scep else { return copy }|        return provisioner|swift:everyProvisionerTypeRoundTrips
audit-redaction|Sources/WardenCore/Management/AuditEvent.swift|        "encryptedPrivateKey", "encrypted_private_key", "encryptedKey", "clientSecret", "client_secret", "challenge",|        "encryptedPrivateKey", "encrypted_private_key", "encryptedKey", "client_secret", "challenge",|swift:mutationsAreAuditedWithSecretsRedacted
secret-description|Sources/WardenCore/Secret.swift|    public var debugDescription: String { "<redacted>" }|    public var debugDescription: String { text }|script:scripts/hardening.sh
last-super-admin-lock|Sources/WardenStore/ManagementChange.swift|                try await lock(connection, logger: logger)|                _ = connection|swift:lastSuperAdminRuleHoldsUnderConcurrentChanges
last-super-admin-rule|Sources/WardenStore/AdminRepository.swift|                try await ManagementChange.loginableSuperAdmins(excludingAdmin: id, on: connection, logger: logger) == 0\n            {\n                throw WardenError.badRequest("cannot change role of last super admin")|                try await ManagementChange.loginableSuperAdmins(excludingAdmin: id, on: connection, logger: logger) < 0\n            {\n                throw WardenError.badRequest("cannot change role of last super admin")|swift:AdminAPITests|lastSuperAdminRule
phantom-super-admins|Sources/WardenStore/ManagementChange.swift|                AND NOT (p.type = ANY(\(ProvisionerType.nonAuthenticatingEnumNames)))|                AND NOT (p.type = ANY(\([String]())))|swift:superAdminsThatCanNeverLogIn
commit-before-respond|Sources/WardenStore/CertificateRepository.swift|        try await batcher.submit(.init(record: record, token: token, audit: audit)) { entries in\n            await Self.write(entries, database: database, logger: logger)\n        }|        let batcher = batcher\n        Task { try? await batcher.submit(.init(record: record, token: token, audit: audit)) { entries in\n            try? await Task.sleep(for: .milliseconds(300))\n            return await Self.write(entries, database: database, logger: logger)\n        } }|script:scripts/faults.sh
change-feed|Sources/WardenServer/CAServer.swift|                if notice.kind == "provisioner" {|                if notice.kind == "nothing" {|script:scripts/two-instances.sh
stream-credential|Sources/WardenServer/InventoryRoutes.swift|                        if Self.credentialKinds.contains(notice.kind),|                        if Self.credentialKinds.isEmpty,|swift:eventStreamsEndWhenTheirCredentialDoes
revocation-scope|Sources/WardenServer/Authority.swift|            guard let issuer, issuer.id == tokenProvisioner.id else {|            guard let issuer, issuer.id == issuer.id else {|swift:aProvisionersTokenRevokesOnlyWhatItIssued
token-identifiers|Sources/WardenStore/ProvisionerRepository.swift|        let identifiers = provisioner.tokenIdentifiers|        let identifiers = ["unique:\(UUID())"]|swift:aSecondProvisionerCannotTakeAnotherOnesKey
identity-by-id|Sources/WardenStore/AdminCredentialStanding.swift|            SELECT COALESCE((SELECT provisioner_id FROM certificates WHERE serial = $3::numeric), $5::uuid) AS id|            SELECT COALESCE($5::uuid, (SELECT provisioner_id FROM certificates WHERE serial = $3::numeric)) AS id|swift:adminCredentialStandingReadsEverythingAtOnce
name-immutable|Sources/WardenCore/Management/LinkedProvisionerDocument.swift|        if name != stored.name {|        if name != stored.name && false {|swift:PrivilegeBoundaryTests|everyProvisionerTypeRoundTrips
template-ignored|Sources/WardenServer/Authority.swift|            var rendered = try template.render(data)|            var rendered = try X509Template.defaultLeaf.render(data)|swift:TemplateIssuanceTests
template-go-float|Sources/WardenTemplate/GoFloat.swift|exponent >= 6 { return sign + exponential(decimal) }|exponent >= 21 { return sign + exponential(decimal) }|script:scripts/template-differential.sh
template-go-eq|Sources/WardenTemplate/GoBuiltins.swift|            if left != .missing && right != .missing { throw Failure("incompatible types for comparison") }|            if false { throw Failure("incompatible types for comparison") }|script:scripts/template-differential.sh
regexp-linear|Sources/WardenTemplate/GoRegexpProgram.swift|            if scratch.marks[item.pc] == key { continue }|            if scratch.marks[item.pc] == -2 { continue }|swift:TemplateCostTests
regexp-dollar|Sources/WardenTemplate/GoRegexpParser.swift|            return .assertion(flags.multiLine ? .endLine : .endText)|            return .assertion(.endLine)|script:scripts/template-differential.sh
template-work|Sources/WardenTemplate/TemplateExecution.swift|                units += text.utf8.count / 16|                units += 0|swift:TemplateCostTests
template-nesting|Sources/WardenTemplate/TemplateExecution.swift|                guard level <= template.limits.maximumNesting else {|                guard level <= template.limits.maximumNesting * 100 else {|swift:TemplateCostTests
template-parse-depth|Sources/WardenTemplate/TemplateParser.swift|        guard nesting < Self.maximumNesting else {|        guard nesting < Self.maximumNesting * 100 else {|swift:TemplateCostTests
template-run-depth|Sources/WardenTemplate/TemplateExecution.swift|        guard nesting < Self.maximumNesting else {|        guard nesting < Self.maximumNesting * 100 else {|swift:TemplateCostTests
regexp-class-search|Sources/WardenTemplate/GoRegexpClass.swift|            if ranges[middle].upperBound < scalar.value { low = middle + 1 } else { high = middle }|            if ranges[middle].upperBound > scalar.value { low = middle + 1 } else { high = middle }|script:scripts/template-differential.sh
policy-deny|Sources/WardenCore/Policy/X509NamePolicy.swift|        if let rule = deny.rules(for: kind).first(where: { Self.matches(kind, value, rule: $0) }) {|        if let rule = deny.rules(for: kind).first(where: { _ in false }) {|swift:IssuancePolicyTests|PolicyTests
policy-enforced|Sources/WardenServer/Authority.swift|        try state.policy?.x509?.check(commonName: commonName, names: typed, scope: "the authority policy")|        _ = typed|swift:PolicyTests
policy-lockout|Sources/WardenStore/PolicyRepository.swift|        guard locked.isEmpty else {|        guard locked.isEmpty == locked.isEmpty else {|swift:PolicyTests
webhook-signature|Sources/WardenServer/WebhookCaller.swift|using: SymmetricKey(data: secret))|using: SymmetricKey(data: Data(secret.reversed())))|script:scripts/webhooks-e2e.sh
webhook-allow|Sources/WardenServer/WebhookCaller.swift|        guard allow else { throw .forbidden("webhook \(hook.name) denied the request") }|        guard allow == allow else { throw .forbidden("webhook \(hook.name) denied the request") }|script:scripts/webhooks-e2e.sh
csr-names|Sources/WardenServer/Authority.swift|        try CertificateRequestNames.check(csr, subject: subject, tokenSANs: tokenSANs)|        _ = csr|swift:BadInputTests
disable-renewal|Sources/WardenServer/Authority.swift|        if policy.disableRenewal {|        if policy.disableRenewal && false {|swift:renewalFollowsTheProvisionersRules
nul-bodies|Sources/WardenServer/JSONResponse.swift|        try InputText.rejectNUL(in: try parse(JSONValue.self, data))|        _ = try parse(JSONValue.self, data)|swift:HostileInputTests|BadInputTests
validity-issuer-bound|Sources/WardenCore/RequestedValidity.swift|        if start < issuerValidity.lowerBound {|        if start < issuerValidity.lowerBound && false {|swift:BadInputTests
TABLE
)

selected=("$@")
results=()
caught=0; survived=0; total=0
# run_tests SPEC: prints survived (every test passed), caught (a test failed) or empty (no test matched)
run_tests() {
  local spec=$1 log="$root/.build/mutant-test.log"
  case "$spec" in
    swift:*)
      if timeout 900 swift test --skip-build --filter "${spec#swift:}" >"$log" 2>&1; then
        grep -qE "Test run with [1-9][0-9]* tests?|Executed [1-9][0-9]* tests?" "$log" && echo survived || echo empty
      else
        echo caught
      fi ;;
    script:*) if timeout 900 "$root/${spec#script:}" >"$log" 2>&1; then echo survived; else echo caught; fi ;;
  esac
}
check_only=false
if [ "${1:-}" = "--check" ]; then check_only=true; shift; selected=("$@"); fi
while IFS='|' read -r id file original replacement test extra; do
  [ -n "$id" ] || continue
  if [ ${#selected[@]} -gt 0 ] && [[ ! " ${selected[*]} " == *" $id "* ]]; then continue; fi
  [ -n "$extra" ] && test="$test|$extra"
  total=$((total + 1))
  if ! python3 - "$file" "$original" "$replacement" <<'PY'
import sys
path, original, replacement = sys.argv[1], sys.argv[2].replace("\\n", "\n"), sys.argv[3].replace("\\n", "\n")
text = open(path).read()
count = text.count(original)
if count != 1:
    print(f"  the line to mutate occurs {count} times in {path}: the table is out of date"); sys.exit(1)
open(path, "w").write(text.replace(original, replacement))
PY
  then results+=("$id|STALE|$file"); survived=$((survived + 1)); continue; fi
  if $check_only; then git checkout -q -- "$file"; results+=("$id|applies|$test"); continue; fi
  start=$SECONDS
  if ! swift build --build-tests >"$root/.build/mutant-build.log" 2>&1; then
    results+=("$id|NO BUILD|$(grep -m1 'error:' "$root/.build/mutant-build.log")"); git checkout -q -- "$file"; survived=$((survived + 1)); continue
  fi
  outcome=$(run_tests "$test")
  case "$outcome" in
    caught) caught=$((caught + 1)) ;;
    survived) outcome=SURVIVED; survived=$((survived + 1)) ;;
    *) outcome="NO TESTS"; survived=$((survived + 1)) ;;
  esac
  results+=("$id|$outcome|${test} ($((SECONDS - start)) s)")
  echo "  $id: $outcome by ${test} ($((SECONDS - start)) s)"
  git checkout -q -- "$file"
done <<<"$mutants"
git checkout -q -- Sources tui
if ! $check_only; then echo "rebuilding the unmutated code"; swift build --build-tests >/dev/null 2>&1; fi
echo
printf '%-26s %-9s %s\n' mutant result "tests that ran"
for row in "${results[@]}"; do IFS='|' read -r a b c <<<"$row"; printf '%-26s %-9s %s\n' "$a" "$b" "$c"; done
echo "mutants: $caught caught, $survived survived, of $total"
[ "$survived" = 0 ]

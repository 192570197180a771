import Foundation
import HTTPTypes
import Hummingbird
import Logging
import WardenCore
import WardenPKI
import WardenStore
import X509

/// The admin API, wire-compatible with step-ca's (`/admin/provisioners`, `/admin/admins`) plus Warden's own
/// `/admin/whoami`. Mounted only with `authority.enableAdmin`; every route is behind
/// ``AdminAuthenticationMiddleware`` and declares the role it needs.
struct AdminRoutes: Sendable {
    let authority: Authority

    func register(on router: Router<WardenRequestContext>) {
        let admin = router.group("admin").add(middleware: AdminAuthenticationMiddleware(authority: authority))
        admin.get("whoami") { _, context in try whoami(context) }

        admin.get("provisioners") { request, context in try await listProvisioners(request, context) }
        admin.post("provisioners") { request, context in try await createProvisioner(request, context) }
        admin.get("provisioners/:name") { request, context in try await getProvisioner(request, context) }
        admin.put("provisioners/:name") { request, context in try await updateProvisioner(request, context) }
        admin.delete("provisioners/:name") { request, context in try await deleteProvisioner(request, context) }

        admin.get("admins") { request, context in try await listAdmins(request, context) }
        admin.post("admins") { request, context in try await createAdmin(request, context) }
        admin.get("admins/:id") { _, context in try await getAdmin(context) }
        admin.patch("admins/:id") { request, context in try await updateAdmin(request, context) }
        admin.delete("admins/:id") { _, context in try await deleteAdmin(context) }

        // step's authority policy routes (`step ca policy authority …`); changes need a super admin.
        admin.get("policy") { _, context in try await getPolicy(context) }
        admin.post("policy") { request, context in try await writePolicy(request, context, .create) }
        admin.put("policy") { request, context in try await writePolicy(request, context, .update) }
        admin.delete("policy") { _, context in try await deletePolicy(context) }
    }

    private func audit(_ context: WardenRequestContext, _ identity: AdminIdentity) -> AuditContext {
        AuditContext(actor: identity.auditActor, requestID: context.requestID, remoteAddress: context.remoteAddress, adminID: identity.admin.id)
    }

    // MARK: whoami

    private func whoami(_ context: WardenRequestContext) throws -> Response {
        let identity = try context.requireAdmin()
        return try JSONResponse.make(
            WhoAmI(
                subject: identity.admin.subject, adminID: identity.admin.id.uuidString.lowercased(), role: identity.admin.role.name,
                provisioner: identity.provisionerName, method: identity.method.rawValue,
                certificateSerial: identity.certificate.wardenSerial.decimal, certificateNotAfter: identity.certificate.notValidAfter))
    }

    // MARK: Provisioners

    /// step's list (ca.json form), or with `form=linkedca` (a Warden extension) the same documents
    /// `GET /admin/provisioners/{name}` returns, a page at a time: clients that need ids, timestamps and
    /// linkedca fields (the console, `warden apply`) read 100 per request instead of one request per provisioner.
    private func listProvisioners(_ request: Request, _ context: WardenRequestContext) async throws -> Response {
        _ = try context.requireAdmin()
        let pagination = try ProvisionerPagination(query: request.uri.queryParameters)
        switch request.uri.queryParameters.get("form") ?? "" {
        case "", "config":
            // The serving set is kept current by the change feed, so the list needs no database round trip.
            return JSONResponse.raw(authority.provisioners.pageJSON(pagination, redacted: false), contentType: "application/json")
        case "linkedca":
            let page = try await authority.managedProvisioners.livePage(offset: pagination.cursor, limit: pagination.limit, logger: context.logger)
            let body: JSONValue = .object([
                "provisioners": .array(page.items.map(\.protoJSON)),
                "nextCursor": .string(page.hasMore ? String(pagination.cursor + page.items.count) : ""),
            ])
            return try JSONResponse.make(body)
        case let other:
            throw WardenError.badRequest("form: \"\(other)\" must be config or linkedca")
        }
    }

    /// `{name}`, or `?id=` which wins (the step CLI's "by id" form is `/admin/provisioners/id?id=<uuid>`).
    private func lookupProvisioner(_ request: Request, _ context: WardenRequestContext) async throws -> LinkedProvisioner {
        if let idText = request.uri.queryParameters.get("id"), !idText.isEmpty {
            guard let id = UUID(uuidString: idText) else { throw WardenError.badRequest("id: \"\(idText)\" is not a UUID") }
            guard let found = try await authority.managedProvisioners.find(id: id, logger: context.logger) else {
                throw WardenError.notFound("provisioner \(idText) not found")
            }
            return found
        }
        let name = try context.pathParameter("name")
        guard let found = try await authority.managedProvisioners.find(name: name, logger: context.logger) else {
            throw WardenError.notFound("provisioner \(name) not found")
        }
        return found
    }

    private func getProvisioner(_ request: Request, _ context: WardenRequestContext) async throws -> Response {
        _ = try context.requireAdmin()
        return try JSONResponse.make(try await lookupProvisioner(request, context).protoJSON)
    }

    private func createProvisioner(_ request: Request, _ context: WardenRequestContext) async throws -> Response {
        let identity = try context.requireAdmin()
        let document = try LinkedProvisionerDocument(parsing: try await RequestBody.decode(JSONValue.self, from: request))
        let provisioner = document.makeProvisioner()
        try X509Template.validate(provisioner.configForm)
        let created = try await authority.managedProvisioners.create(provisioner, audit: audit(context, identity), logger: context.logger)
        try await authority.refreshProvisioners(logger: context.logger)
        return try JSONResponse.make(created.protoJSON, status: .created)
    }

    private func updateProvisioner(_ request: Request, _ context: WardenRequestContext) async throws -> Response {
        let identity = try context.requireAdmin()
        let stored = try await lookupProvisioner(request, context)
        let document = try LinkedProvisionerDocument(parsing: try await RequestBody.decode(JSONValue.self, from: request))
        let updated = try await authority.managedProvisioners.update(id: stored.id, audit: audit(context, identity), logger: context.logger) {
            current in
            let changed = try document.applying(to: current)
            try X509Template.validate(changed.configForm)
            return changed
        }
        try await authority.refreshProvisioners(logger: context.logger)
        return try JSONResponse.make(updated.protoJSON)
    }

    private func deleteProvisioner(_ request: Request, _ context: WardenRequestContext) async throws -> Response {
        let identity = try context.requireAdmin()
        let stored = try await lookupProvisioner(request, context)
        try await authority.managedProvisioners.delete(id: stored.id, audit: audit(context, identity), logger: context.logger)
        try await authority.refreshProvisioners(logger: context.logger)
        return try JSONResponse.make(StatusResponse(status: "ok"))
    }

    // MARK: Authority policy

    private func getPolicy(_ context: WardenRequestContext) async throws -> Response {
        _ = try context.requireAdmin()
        guard let policy = try await authority.policies.authorityPolicy(logger: context.logger) else {
            throw WardenError.notFound("authority policy does not exist")
        }
        return try JSONResponse.make(policy.json)
    }

    private func writePolicy(_ request: Request, _ context: WardenRequestContext, _ write: PolicyRepository.Write) async throws -> Response {
        let identity = try context.requireAdmin()
        let policy = try IssuancePolicy(json: try await RequestBody.decode(JSONValue.self, from: request))
        let stored = try await authority.policies.write(policy, write, audit: audit(context, identity), logger: context.logger)
        try await authority.refreshPolicy(logger: context.logger)
        return try JSONResponse.make(stored.json, status: write == .create ? .created : .ok)
    }

    private func deletePolicy(_ context: WardenRequestContext) async throws -> Response {
        let identity = try context.requireAdmin()
        try await authority.policies.delete(audit: audit(context, identity), logger: context.logger)
        try await authority.refreshPolicy(logger: context.logger)
        return try JSONResponse.make(StatusResponse(status: "deleted"))
    }

    // MARK: Admins

    private func listAdmins(_ request: Request, _ context: WardenRequestContext) async throws -> Response {
        _ = try context.requireAdmin()
        let limitText = request.uri.queryParameters.get("limit") ?? ""
        var limit = 20
        if !limitText.isEmpty {
            guard let value = Int(limitText) else { throw WardenError.badRequest("limit: \"\(limitText)\" is not an integer") }
            limit = value <= 0 ? 20 : min(value, 100)
        }
        let cursor = (request.uri.queryParameters.get("cursor") ?? "").lowercased()
        let all = try await authority.admins.live(logger: context.logger)  // sorted by id
        let remaining = all.filter { cursor.isEmpty || $0.id.uuidString.lowercased() >= cursor }
            .sorted { $0.id.uuidString.lowercased() < $1.id.uuidString.lowercased() }
        let page = remaining.prefix(limit)
        let next = remaining.count > limit ? remaining[limit].id.uuidString.lowercased() : ""
        return try JSONResponse.make(JSONValue.object(["admins": .array(page.map(AdminWire.listItem)), "nextCursor": .string(next)]))
    }

    private func adminID(_ context: WardenRequestContext) throws -> UUID {
        let text = try context.pathParameter("id")
        guard let id = UUID(uuidString: text) else { throw WardenError.notFound("admin \(text) not found") }
        return id
    }

    private func getAdmin(_ context: WardenRequestContext) async throws -> Response {
        _ = try context.requireAdmin()
        let id = try adminID(context)
        guard let admin = try await authority.admins.find(id: id, logger: context.logger) else {
            throw WardenError.notFound("admin \(id.uuidString.lowercased()) not found")
        }
        return try JSONResponse.make(AdminWire.protoJSON(admin))
    }

    private func createAdmin(_ request: Request, _ context: WardenRequestContext) async throws -> Response {
        let identity = try context.requireAdmin(.superAdmin)
        let body = try await RequestBody.decodeObject(from: request)
        guard let subject = body["subject"]?.stringValue, !subject.isEmpty else { throw WardenError.badRequest("subject cannot be empty") }
        try InputText.checkName(subject, field: "subject")
        guard let provisioner = body["provisioner"]?.stringValue, !provisioner.isEmpty else {
            throw WardenError.badRequest("provisioner cannot be empty")
        }
        try InputText.checkName(provisioner, field: "provisioner")
        let role = try AdminWire.role(from: .object(body))
        let admin = try await authority.admins.create(
            subject: subject, provisionerName: provisioner, role: role, audit: audit(context, identity), logger: context.logger)
        return try JSONResponse.make(AdminWire.protoJSON(admin), status: .created)
    }

    private func updateAdmin(_ request: Request, _ context: WardenRequestContext) async throws -> Response {
        let identity = try context.requireAdmin(.superAdmin)
        let id = try adminID(context)
        let role = try AdminWire.role(from: .object(try await RequestBody.decodeObject(from: request)))
        let admin = try await authority.admins.updateRole(id: id, role: role, audit: audit(context, identity), logger: context.logger)
        return try JSONResponse.make(AdminWire.protoJSON(admin))
    }

    private func deleteAdmin(_ context: WardenRequestContext) async throws -> Response {
        let identity = try context.requireAdmin(.superAdmin)
        let id = try adminID(context)
        try await authority.admins.delete(id: id, audit: audit(context, identity), logger: context.logger)
        return try JSONResponse.make(StatusResponse(status: "ok"))
    }
}

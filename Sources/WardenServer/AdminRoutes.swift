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
        // step's webhook routes (`step ca provisioner webhook add|update|remove`).
        admin.post("provisioners/:name/webhooks") { request, context in try await addWebhook(request, context) }
        admin.put("provisioners/:name/webhooks/:webhook") { request, context in try await updateWebhook(request, context) }
        admin.delete("provisioners/:name/webhooks/:webhook") { request, context in try await removeWebhook(request, context) }

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

    // MARK: Webhooks

    /// Changes the webhooks of the provisioner the request names, in the provisioner's own update (same rules,
    /// lock, audit and change notice as any provisioner change); `change` gets the list and the provisioner's name.
    /// Returns the webhooks as stored.
    @discardableResult
    private func changeWebhooks(
        _ request: Request, _ context: WardenRequestContext,
        _ change: @escaping @Sendable (inout [Webhook], _ provisioner: String) throws -> Void
    ) async throws -> [Webhook] {
        let identity = try context.requireAdmin()
        let stored = try await lookupProvisioner(request, context)
        let updated = try await authority.managedProvisioners.update(id: stored.id, audit: audit(context, identity), logger: context.logger) {
            current in
            var changed = current
            var hooks = try Webhook.list(current.extras["webhooks"])
            try change(&hooks, current.name)
            changed.extras["webhooks"] = hooks.isEmpty ? nil : .array(hooks.map(\.json))
            changed.updatedAt = Date()
            return changed
        }
        try await authority.refreshProvisioners(logger: context.logger)
        return try Webhook.list(updated.extras["webhooks"])
    }

    /// The position of the webhook named `name`, or 404.
    private static func index(of name: String, in hooks: [Webhook], provisioner: String) throws -> Int {
        guard let index = hooks.firstIndex(where: { $0.name == name }) else {
            throw WardenError.notFound("provisioner \(provisioner) has no webhook named \(name)")
        }
        return index
    }

    /// Adds a webhook: the CA chooses its id (a UUID) and secret (64 random bytes, base64), returned once in the
    /// answer, as step-ca does; a webhook name is unique within its provisioner.
    private func addWebhook(_ request: Request, _ context: WardenRequestContext) async throws -> Response {
        var hook = try Webhook(json: try await RequestBody.decode(JSONValue.self, from: request))
        try X509Template.validateURL(of: hook)
        guard hook.id.isEmpty, hook.secret.isEmpty else { throw WardenError.badRequest("webhook: id and secret are chosen by the CA") }
        hook.id = UUID().uuidString.lowercased()
        hook.secret = Data((0..<64).map { _ in UInt8.random(in: 0...255) }).base64EncodedString()
        let created = hook
        try await changeWebhooks(request, context) { hooks, provisioner in
            if hooks.contains(where: { $0.name == created.name }) {
                throw WardenError.conflict("provisioner \(provisioner) already has a webhook named \(created.name)")
            }
            hooks.append(created)
        }
        return try JSONResponse.make(created.json, status: .created)
    }

    /// Replaces a webhook's settings; its id and secret stay (a body naming others is 400).
    private func updateWebhook(_ request: Request, _ context: WardenRequestContext) async throws -> Response {
        let name = try context.pathParameter("webhook")
        let replacement = try Webhook(json: try await RequestBody.decode(JSONValue.self, from: request))
        try X509Template.validateURL(of: replacement)
        guard replacement.name == name else { throw WardenError.badRequest("webhook name: a webhook's name cannot change (\(name))") }
        let stored = try await changeWebhooks(request, context) { hooks, provisioner in
            let index = try Self.index(of: name, in: hooks, provisioner: provisioner)
            var hook = replacement
            if (!hook.id.isEmpty && hook.id != hooks[index].id) || (!hook.secret.isEmpty && hook.secret != hooks[index].secret) {
                throw WardenError.badRequest("webhook: its id and secret cannot change")
            }
            hook.id = hooks[index].id
            hook.secret = hooks[index].secret
            hooks[index] = hook
        }
        return try JSONResponse.make(stored.first { $0.name == name }?.json ?? .null)
    }

    private func removeWebhook(_ request: Request, _ context: WardenRequestContext) async throws -> Response {
        let name = try context.pathParameter("webhook")
        try await changeWebhooks(request, context) { hooks, provisioner in
            hooks.remove(at: try Self.index(of: name, in: hooks, provisioner: provisioner))
        }
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
        return try JSONResponse.make(StatusResponse(status: "ok"))
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

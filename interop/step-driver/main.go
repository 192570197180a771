// step-driver runs smallstep's own Go client code (Debian's golang-github-smallstep-certificates-dev, the
// step-ca 0.19 client library, and go.step.sm's token and JOSE packages) from the command line, so that
// Warden's tests exercise its wire formats with a client Warden did not write. Every command prints JSON on
// stdout and, on failure, one line "step-driver: <what>: <error>" on stderr with exit status 1.
//
//	step-driver sign    --ca URL --root ROOT --provisioner P --password PW --subject S [--san a,b] [--not-after 2h] [--template-data JSON] --out PREFIX
//	step-driver token   --ca URL --root ROOT --provisioner P --password PW --subject S [--audience /1.0/sign] [--san a,b]
//	step-driver renew   --ca URL --root ROOT --cert CRT --key KEY [--mtls=false] [--out CRT]
//	step-driver revoke  --ca URL --root ROOT (--serial N --provisioner P --password PW | --cert CRT --key KEY) [--reason-code N] [--reason T] [--active]
//	step-driver admin   OP --ca URL --root ROOT --admin-cert CRT --admin-key KEY [...]   (see adminCommand; policy-get,
//	                    policy-create/-update --policy-file F, policy-delete manage the authority policy)
//	step-driver bench-sign / bench-admin   throughput against a CA, for scripts/bench.sh
//	step-driver init    --dir DIR --address HOST:PORT --password PW   a reference step-ca PKI (STEPPATH=DIR)
package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"flag"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/smallstep/certificates/api"
	adminAPI "github.com/smallstep/certificates/authority/admin/api"
	"github.com/smallstep/certificates/ca"
	"github.com/smallstep/certificates/cas/apiv1"
	"github.com/smallstep/certificates/pki"
	"go.step.sm/cli-utils/token"
	"go.step.sm/cli-utils/token/provision"
	"go.step.sm/crypto/jose"
	"go.step.sm/crypto/pemutil"
	"go.step.sm/linkedca"
	"google.golang.org/protobuf/encoding/protojson"
)

// fail prints one line and exits 1: scripts assert on the exit status and on this text.
func fail(what string, err error) {
	fmt.Fprintf(os.Stderr, "step-driver: %s: %v\n", what, err)
	os.Exit(1)
}

func check(err error, what string) {
	if err != nil {
		fail(what, err)
	}
}

func emit(value interface{}) {
	out, err := json.MarshalIndent(value, "", "  ")
	check(err, "encode output")
	fmt.Println(string(out))
}

// connection holds the flags every command shares.
type connection struct {
	url, root, adminCert, adminKey string
}

func (c *connection) flags(set *flag.FlagSet) {
	set.StringVar(&c.url, "ca", "", "CA URL (its host must be one of the CA's dnsNames)")
	set.StringVar(&c.root, "root", "", "root certificate PEM")
	set.StringVar(&c.adminCert, "admin-cert", "", "admin certificate chain PEM (admin commands)")
	set.StringVar(&c.adminKey, "admin-key", "", "admin private key PEM (admin commands)")
}

func (c *connection) client() *ca.Client {
	client, err := ca.NewClient(c.url, ca.WithRootFile(c.root))
	check(err, "client")
	return client
}

func (c *connection) admin() *ca.AdminClient {
	chain, err := pemutil.ReadCertificateBundle(c.adminCert)
	check(err, "read admin certificate")
	key, err := pemutil.Read(c.adminKey)
	check(err, "read admin key")
	client, err := ca.NewAdminClient(c.url, ca.WithRootFile(c.root), ca.WithAdminX5C(chain, key, ""))
	check(err, "admin client")
	return client
}

// mtlsTransport presents a certificate to the CA, trusting only the CA's root.
func (c *connection) mtlsTransport(certFile, keyFile string) (*http.Transport, tls.Certificate) {
	pair, err := tls.LoadX509KeyPair(certFile, keyFile)
	check(err, "load certificate and key")
	return &http.Transport{TLSClientConfig: &tls.Config{RootCAs: c.client().GetRootCAs(), Certificates: []tls.Certificate{pair}}}, pair
}

// provisionerKeys caches decrypted JWK provisioner keys (PBES2 is deliberately slow).
var provisionerKeys sync.Map

// provisionerKey finds a JWK provisioner in the CA's public list (paging as the step CLI does), fetches its
// encrypted key and decrypts it with the password.
func provisionerKey(c *connection, name, password string) *jose.JSONWebKey {
	cacheKey := name + "\x00" + password
	if key, ok := provisionerKeys.Load(cacheKey); ok {
		return key.(*jose.JSONWebKey)
	}
	client := c.client()
	cursor := ""
	for {
		page, err := client.Provisioners(ca.WithProvisionerCursor(cursor), ca.WithProvisionerLimit(100))
		check(err, "list provisioners")
		for _, p := range page.Provisioners {
			if p.GetName() != name {
				continue
			}
			kid, encrypted, ok := p.GetEncryptedKey()
			if !ok || encrypted == "" {
				fail("provisioner "+name, fmt.Errorf("has no encrypted key"))
			}
			plain, err := jose.Decrypt([]byte(encrypted), jose.WithPassword([]byte(password)))
			check(err, "decrypt provisioner key")
			key, err := jose.ParseKey(plain)
			check(err, "parse provisioner key")
			if key.KeyID == "" {
				key.KeyID = kid
			}
			provisionerKeys.Store(cacheKey, key)
			return key
		}
		if page.NextCursor == "" {
			fail("provisioner "+name, fmt.Errorf("not found"))
		}
		cursor = page.NextCursor
	}
}

func randomID() string {
	b := make([]byte, 32)
	_, err := rand.Read(b)
	check(err, "random")
	return hex.EncodeToString(b)
}

// oneTimeToken is the token `step ca token` makes: iss = provisioner, aud = CA URL + path, sub, sans, sha of
// the root, kid of the provisioner key, five minutes.
func oneTimeToken(c *connection, provisioner, password, subject, audiencePath string, sans []string) string {
	return oneTimeTokenFor(c, provisioner, password, subject, strings.TrimSuffix(c.url, "/")+audiencePath, sans)
}

func oneTimeTokenFor(c *connection, provisioner, password, subject, audience string, sans []string) string {
	key := provisionerKey(c, provisioner, password)
	if len(sans) == 0 {
		sans = []string{subject}
	}
	rootCert, err := pemutil.ReadCertificate(c.root)
	check(err, "read root")
	sum := sha256.Sum256(rootCert.Raw)
	now := time.Now()
	tok, err := provision.New(subject,
		token.WithJWTID(randomID()), token.WithKid(key.KeyID), token.WithIssuer(provisioner),
		token.WithAudience(audience), token.WithValidity(now, now.Add(5*time.Minute)),
		token.WithSANS(sans), token.WithSHA(hex.EncodeToString(sum[:])))
	check(err, "build token")
	signed, err := tok.SignedString(key.Algorithm, key.Key)
	check(err, "sign token")
	return signed
}

func splitList(value string) []string {
	if value == "" {
		return nil
	}
	return strings.Split(value, ",")
}

func writePEM(path string, blocks []*pem.Block, mode os.FileMode) {
	var out []byte
	for _, b := range blocks {
		out = append(out, pem.EncodeToMemory(b)...)
	}
	check(os.WriteFile(path, out, mode), "write "+path)
}

func chainOf(resp *api.SignResponse) []*x509.Certificate {
	chain := []*x509.Certificate{resp.ServerPEM.Certificate}
	if resp.CaPEM.Certificate != nil {
		chain = append(chain, resp.CaPEM.Certificate)
	}
	return chain
}

func writeChain(path string, chain []*x509.Certificate) {
	var blocks []*pem.Block
	for _, cert := range chain {
		blocks = append(blocks, &pem.Block{Type: "CERTIFICATE", Bytes: cert.Raw})
	}
	writePEM(path, blocks, 0644)
}

func describe(cert *x509.Certificate) map[string]interface{} {
	return map[string]interface{}{
		"serial": cert.SerialNumber.String(), "subject": cert.Subject.CommonName, "issuer": cert.Issuer.CommonName,
		"dnsNames": cert.DNSNames, "notBefore": cert.NotBefore.UTC().Format(time.RFC3339),
		"notAfter": cert.NotAfter.UTC().Format(time.RFC3339), "lifetimeSeconds": int64(cert.NotAfter.Sub(cert.NotBefore).Seconds()),
	}
}

func signCommand(args []string) {
	set := flag.NewFlagSet("sign", flag.ExitOnError)
	var c connection
	c.flags(set)
	provisioner := set.String("provisioner", "", "JWK provisioner name")
	password := set.String("password", "", "provisioner password")
	subject := set.String("subject", "", "certificate subject")
	sans := set.String("san", "", "comma-separated SANs (default: the subject)")
	notAfter := set.String("not-after", "", "requested notAfter (RFC 3339 or duration)")
	out := set.String("out", "", "writes PREFIX.crt (chain) and PREFIX.key")
	templateData := set.String("template-data", "", "the request's templateData (JSON), for the provisioner's template")
	check(set.Parse(args), "flags")
	ott := oneTimeToken(&c, *provisioner, *password, *subject, "/1.0/sign", splitList(*sans))
	request, key, err := ca.CreateSignRequest(ott)
	check(err, "create sign request")
	if *templateData != "" {
		request.TemplateData = json.RawMessage(*templateData)
	}
	if *notAfter != "" {
		check(request.NotAfter.UnmarshalJSON([]byte(`"`+*notAfter+`"`)), "not-after")
	}
	response, err := c.client().Sign(request)
	check(err, "sign")
	chain := chainOf(response)
	writeChain(*out+".crt", chain)
	block, err := pemutil.Serialize(key)
	check(err, "serialize key")
	writePEM(*out+".key", []*pem.Block{block}, 0600)
	emit(describe(chain[0]))
}

func tokenCommand(args []string) {
	set := flag.NewFlagSet("token", flag.ExitOnError)
	var c connection
	c.flags(set)
	provisioner := set.String("provisioner", "", "JWK provisioner name")
	password := set.String("password", "", "provisioner password")
	subject := set.String("subject", "", "token subject (a serial for /revoke)")
	audience := set.String("audience", "/1.0/sign", "audience path, after the CA URL")
	audienceURL := set.String("audience-url", "", "the whole audience instead (a host the CA may not serve)")
	sans := set.String("san", "", "comma-separated SANs")
	check(set.Parse(args), "flags")
	if *audienceURL != "" {
		// As a client configured with another CA URL would make it.
		fmt.Println(oneTimeTokenFor(&c, *provisioner, *password, *subject, *audienceURL, splitList(*sans)))
		return
	}
	fmt.Println(oneTimeToken(&c, *provisioner, *password, *subject, *audience, splitList(*sans)))
}

// renewToken is the token `step ca renew --mtls=false` sends: the chain in x5cInsecure, signed with the
// certificate's key, iss "step-ca-client/1.0", aud the renew URL, sub the certificate's common name.
func renewToken(c *connection, pair tls.Certificate) string {
	leaf, err := x509.ParseCertificate(pair.Certificate[0])
	check(err, "parse certificate")
	var chain []string
	for _, der := range pair.Certificate {
		chain = append(chain, base64.StdEncoding.EncodeToString(der))
	}
	options := new(jose.SignerOptions).WithType("JWT").WithHeader(jose.HeaderKey(jose.X5cInsecureKey), chain)
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.ES256, Key: pair.PrivateKey}, options)
	check(err, "renew token signer")
	now := time.Now()
	claims := jose.Claims{
		Issuer: "step-ca-client/1.0", Subject: leaf.Subject.CommonName, ID: randomID(),
		Audience: jose.Audience{strings.TrimSuffix(c.url, "/") + "/1.0/renew"},
		NotBefore: jose.NewNumericDate(now), IssuedAt: jose.NewNumericDate(now), Expiry: jose.NewNumericDate(now.Add(5 * time.Minute)),
	}
	signed, err := jose.Signed(signer).Claims(claims).CompactSerialize()
	check(err, "sign renew token")
	return signed
}

func renewCommand(args []string) {
	set := flag.NewFlagSet("renew", flag.ExitOnError)
	var c connection
	c.flags(set)
	certFile := set.String("cert", "", "certificate chain to renew")
	keyFile := set.String("key", "", "its private key")
	mtls := set.Bool("mtls", true, "authenticate with the certificate over TLS (false: a renew token, as behind a layer-7 proxy)")
	tokenOut := set.String("token-out", "", "also write the renew token sent (to replay it)")
	useToken := set.String("token", "", "send this renew token instead of making one")
	out := set.String("out", "", "where to write the renewed chain (default: --cert)")
	check(set.Parse(args), "flags")
	transport, pair := c.mtlsTransport(*certFile, *keyFile)
	var response *api.SignResponse
	var err error
	if *mtls && *useToken == "" {
		response, err = c.client().Renew(transport)
	} else {
		tok := *useToken
		if tok == "" {
			tok = renewToken(&c, pair)
		}
		if *tokenOut != "" {
			check(os.WriteFile(*tokenOut, []byte(tok), 0600), "write token")
		}
		response, err = c.client().RenewWithToken(tok)
	}
	check(err, "renew")
	chain := chainOf(response)
	if *out == "" {
		*out = *certFile
	}
	writeChain(*out, chain)
	emit(describe(chain[0]))
}

func revokeCommand(args []string) {
	set := flag.NewFlagSet("revoke", flag.ExitOnError)
	var c connection
	c.flags(set)
	serial := set.String("serial", "", "serial number, decimal or 0x-hex, as the step CLI passes it on")
	provisioner := set.String("provisioner", "", "JWK provisioner for a token-authorised revocation")
	password := set.String("password", "", "provisioner password")
	certFile := set.String("cert", "", "revoke this certificate over mTLS")
	keyFile := set.String("key", "", "its private key")
	reasonCode := set.Int("reason-code", 0, "RFC 5280 reason code")
	reason := set.String("reason", "", "free text")
	active := set.Bool("active", false, "active revocation (passive: false)")
	check(set.Parse(args), "flags")
	request := &api.RevokeRequest{Serial: *serial, ReasonCode: *reasonCode, Reason: *reason, Passive: !*active}
	var transport http.RoundTripper
	if *certFile != "" {
		t, pair := c.mtlsTransport(*certFile, *keyFile)
		transport = t
		if request.Serial == "" {
			leaf, err := x509.ParseCertificate(pair.Certificate[0])
			check(err, "parse certificate")
			request.Serial = leaf.SerialNumber.String()
		}
	} else {
		// The token's subject is the serial exactly as given (the step CLI does not normalise it).
		request.OTT = oneTimeToken(&c, *provisioner, *password, *serial, "/1.0/revoke", nil)
	}
	response, err := c.client().Revoke(request, transport)
	check(err, "revoke")
	emit(map[string]interface{}{"serial": request.Serial, "status": response.Status})
}

func jwkProvisioner(name, password string) *linkedca.Provisioner {
	key, encrypted, err := jose.GenerateDefaultKeyPair([]byte(password))
	check(err, "generate key")
	public, err := key.Public().MarshalJSON()
	check(err, "public key")
	private, err := encrypted.CompactSerialize()
	check(err, "encrypted key")
	return &linkedca.Provisioner{
		Type: linkedca.Provisioner_JWK, Name: name,
		Details: &linkedca.ProvisionerDetails{Data: &linkedca.ProvisionerDetails_JWK{JWK: &linkedca.JWKProvisioner{
			PublicKey: public, EncryptedPrivateKey: []byte(private),
		}}},
		Claims: &linkedca.Claims{X509: &linkedca.X509Claims{Enabled: true, Durations: &linkedca.Durations{Default: "24h", Min: "5m", Max: "720h"}}},
	}
}

func adminRole(super bool) linkedca.Admin_Type {
	if super {
		return linkedca.Admin_SUPER_ADMIN
	}
	return linkedca.Admin_ADMIN
}

// adminCommand is the step CLI's admin client: provisioners (list, get, add-jwk, set-durations, remove) and
// admins (list, add, update, remove), each request with a fresh x5c admin token.
func adminCommand(args []string) {
	if len(args) == 0 {
		fail("admin", fmt.Errorf("name an operation"))
	}
	operation := args[0]
	set := flag.NewFlagSet("admin "+operation, flag.ExitOnError)
	var c connection
	c.flags(set)
	name := set.String("name", "", "provisioner name or admin subject")
	provisioner := set.String("provisioner", "", "provisioner of a new admin")
	id := set.String("id", "", "admin id")
	super := set.Bool("super", false, "SUPER_ADMIN rather than ADMIN")
	password := set.String("password", "", "password of a new JWK provisioner")
	defaultDuration := set.String("default", "2h", "set-durations: default")
	maxDuration := set.String("max", "12h", "set-durations: max")
	policyFile := set.String("policy-file", "", "policy-create/-update: the policy as linkedca JSON")
	check(set.Parse(args[1:]), "flags")
	client := c.admin()
	switch operation {
	case "provisioners":
		page, err := client.GetProvisionersPaginate()
		check(err, "list provisioners")
		emit(page)
	case "provisioner":
		p, err := client.GetProvisioner(ca.WithProvisionerName(*name))
		check(err, "get provisioner")
		emit(p)
	case "add-jwk":
		p, err := client.CreateProvisioner(jwkProvisioner(*name, *password))
		check(err, "create provisioner")
		emit(p)
	case "set-durations":
		// As `step ca provisioner update`: read the whole object, change it, PUT it back.
		p, err := client.GetProvisioner(ca.WithProvisionerName(*name))
		check(err, "get provisioner")
		p.Claims = &linkedca.Claims{X509: &linkedca.X509Claims{Enabled: true, Durations: &linkedca.Durations{
			Default: *defaultDuration, Min: "5m", Max: *maxDuration}}}
		check(client.UpdateProvisioner(*name, p), "update provisioner")
		emit(map[string]string{"status": "updated"})
	case "remove-provisioner":
		check(client.RemoveProvisioner(ca.WithProvisionerName(*name)), "remove provisioner")
		emit(map[string]string{"status": "removed"})
	case "admins":
		page, err := client.GetAdminsPaginate()
		check(err, "list admins")
		emit(page)
	case "add":
		a, err := client.CreateAdmin(&adminAPI.CreateAdminRequest{Subject: *name, Provisioner: *provisioner, Type: adminRole(*super)})
		check(err, "create admin")
		emit(a)
	case "update":
		a, err := client.UpdateAdmin(*id, &adminAPI.UpdateAdminRequest{Type: adminRole(*super)})
		check(err, "update admin")
		emit(a)
	case "remove":
		check(client.RemoveAdmin(*id), "remove admin")
		emit(map[string]string{"status": "removed"})
	case "policy-get", "policy-create", "policy-update", "policy-delete":
		policyCommand(&c, operation, *policyFile)
	default:
		fail("admin", fmt.Errorf("unknown operation %q", operation))
	}
}

// policyCommand manages the authority policy as step's admin client does (`step ca policy authority …`, newer
// than the 0.19 client library, which has no policy calls): linkedca.Policy encoded with protojson, an x5c admin
// token made exactly as ca.AdminClient makes it, in the Authorization header.
func policyCommand(c *connection, operation, policyFile string) {
	chain, err := pemutil.ReadCertificateBundle(c.adminCert)
	check(err, "read admin certificate")
	keyPEM, err := os.ReadFile(c.adminKey)
	check(err, "read admin key")
	jwk, err := jose.ParseKey(keyPEM)
	check(err, "admin key")
	x5c, err := jose.ValidateX5C(chain, jwk.Key)
	check(err, "admin chain")
	endpoint := strings.TrimSuffix(c.url, "/") + "/admin/policy"
	now := time.Now()
	tok, err := provision.New(chain[0].Subject.CommonName,
		token.WithJWTID(randomID()), token.WithKid(jwk.KeyID), token.WithIssuer("step-admin-client/1.0"),
		token.WithAudience(endpoint), token.WithValidity(now, now.Add(token.DefaultValidity)), token.WithX5CCerts(x5c))
	check(err, "admin token")
	signed, err := tok.SignedString(jwk.Algorithm, jwk.Key)
	check(err, "sign admin token")

	method := map[string]string{"policy-get": "GET", "policy-create": "POST", "policy-update": "PUT", "policy-delete": "DELETE"}[operation]
	var body []byte
	if method == "POST" || method == "PUT" {
		text, err := os.ReadFile(policyFile)
		check(err, "read --policy-file")
		var policy linkedca.Policy
		check(protojson.Unmarshal(text, &policy), "policy file is not a linkedca.Policy")
		body, err = protojson.Marshal(&policy)
		check(err, "encode policy")
	}
	request, err := http.NewRequest(method, endpoint, strings.NewReader(string(body)))
	check(err, "request")
	request.Header.Set("Authorization", signed)
	request.Header.Set("Content-Type", "application/json")
	roots, err := pemutil.ReadCertificateBundle(c.root)
	check(err, "read root")
	pool := x509.NewCertPool()
	for _, root := range roots {
		pool.AddCert(root)
	}
	httpClient := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}}}
	response, err := httpClient.Do(request)
	check(err, operation)
	defer response.Body.Close()
	var raw json.RawMessage
	check(json.NewDecoder(response.Body).Decode(&raw), "read response")
	if response.StatusCode >= 400 {
		fail(operation, fmt.Errorf("%d %s", response.StatusCode, string(raw)))
	}
	if operation == "policy-delete" {
		emit(map[string]string{"status": "deleted"})
		return
	}
	var policy linkedca.Policy
	check(protojson.Unmarshal(raw, &policy), "response is not a linkedca.Policy")
	out, err := protojson.Marshal(&policy)
	check(err, "encode policy")
	fmt.Println(string(out))
}

// measure runs n calls with `workers` goroutines and prints rate and latency percentiles.
func measure(label string, n, workers int, call func(worker, i int) error) {
	var next int64 = -1
	var failures int64
	latencies := make([]time.Duration, n)
	var group sync.WaitGroup
	started := time.Now()
	for w := 0; w < workers; w++ {
		group.Add(1)
		go func(worker int) {
			defer group.Done()
			for {
				i := int(atomic.AddInt64(&next, 1))
				if i >= n {
					return
				}
				t := time.Now()
				if err := call(worker, i); err != nil && atomic.AddInt64(&failures, 1) == 1 {
					fmt.Fprintln(os.Stderr, "first failure:", err)
				}
				latencies[i] = time.Since(t)
			}
		}(w)
	}
	group.Wait()
	elapsed := time.Since(started)
	sort.Slice(latencies, func(a, b int) bool { return latencies[a] < latencies[b] })
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	fmt.Printf("%s=%d failed=%d conc=%d elapsed=%.3fs rate=%.1f/s p50=%.2fms p99=%.2fms\n",
		label, n, failures, workers, elapsed.Seconds(), float64(n)/elapsed.Seconds(), ms(latencies[n/2]), ms(latencies[n*99/100]))
}

func benchSignCommand(args []string) {
	set := flag.NewFlagSet("bench-sign", flag.ExitOnError)
	var c connection
	c.flags(set)
	provisioner := set.String("provisioner", "", "JWK provisioner")
	password := set.String("password", "", "its password")
	n := set.Int("n", 500, "certificates")
	workers := set.Int("c", 8, "concurrent clients")
	serials := set.String("serials", "", "append the serial of every certificate received to this file, as it arrives")
	check(set.Parse(args), "flags")
	var received *os.File
	var receivedLock sync.Mutex
	if *serials != "" {
		file, err := os.OpenFile(*serials, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0644)
		check(err, "open "+*serials)
		received = file
	}
	// Tokens and CSRs are made before the clock starts: only the CA's work is timed.
	requests := make([]*api.SignRequest, *n)
	for i := range requests {
		name := fmt.Sprintf("svc-%d.internal", i)
		key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		check(err, "key")
		template := &x509.CertificateRequest{DNSNames: []string{name}}
		template.Subject.CommonName = name
		der, err := x509.CreateCertificateRequest(rand.Reader, template, key)
		check(err, "csr")
		csr, err := x509.ParseCertificateRequest(der)
		check(err, "csr")
		requests[i] = &api.SignRequest{CsrPEM: api.CertificateRequest{CertificateRequest: csr},
			OTT: oneTimeToken(&c, *provisioner, *password, name, "/1.0/sign", nil)}
	}
	clients := make([]*ca.Client, *workers)
	for i := range clients {
		clients[i] = c.client()
	}
	measure("certs", *n, *workers, func(worker, i int) error {
		response, err := clients[worker].Sign(requests[i])
		if err == nil && received != nil {
			receivedLock.Lock()
			fmt.Fprintln(received, response.ServerPEM.Certificate.SerialNumber.String())
			receivedLock.Unlock()
		}
		return err
	})
}

func benchAdminCommand(args []string) {
	set := flag.NewFlagSet("bench-admin", flag.ExitOnError)
	var c connection
	c.flags(set)
	n := set.Int("n", 300, "requests")
	workers := set.Int("c", 8, "concurrent clients")
	check(set.Parse(args), "flags")
	clients := make([]*ca.AdminClient, *workers)
	for i := range clients {
		clients[i] = c.admin()
	}
	measure("requests", *n, *workers, func(worker, _ int) error { _, err := clients[worker].GetProvisionersPaginate(); return err })
}

// initCommand creates a reference step-ca PKI with step's own code (pki package), remote management on.
func initCommand(args []string) {
	set := flag.NewFlagSet("init", flag.ExitOnError)
	dir := set.String("dir", "", "STEPPATH of the new PKI")
	address := set.String("address", "127.0.0.1:9000", "listen address")
	password := set.String("password", "", "password of the keys and the first provisioner")
	provisioner := set.String("provisioner", "admin", "first JWK provisioner")
	admin := set.Bool("remote-management", true, "turn on remote management (authority.enableAdmin)")
	check(set.Parse(args), "flags")
	absolute, err := filepath.Abs(*dir)
	check(err, "dir")
	if steppath, _ := filepath.Abs(os.Getenv("STEPPATH")); steppath != absolute {
		fail("init", fmt.Errorf("run with STEPPATH=%s (step reads it at start)", absolute))
	}
	p, err := pki.New(apiv1.Options{Type: apiv1.SoftCAS, IsCreator: true},
		pki.WithAddress(*address), pki.WithDNSNames([]string{"localhost", "127.0.0.1"}), pki.WithProvisioner(*provisioner))
	check(err, "pki")
	check(p.GenerateKeyPairs([]byte(*password)), "keys")
	root, err := p.GenerateRootCertificate("Reference Root CA", "Reference", "", []byte(*password))
	check(err, "root")
	check(p.GenerateIntermediateCertificate("Reference Intermediate CA", "Reference", "", root, []byte(*password)), "intermediate")
	check(p.Save(), "save")
	path := filepath.Join(absolute, "config", "ca.json")
	raw, err := os.ReadFile(path)
	check(err, "read ca.json")
	var config map[string]interface{}
	check(json.Unmarshal(raw, &config), "parse ca.json")
	config["authority"].(map[string]interface{})["enableAdmin"] = *admin
	config["password"] = *password
	raw, err = json.MarshalIndent(config, "", "  ")
	check(err, "encode ca.json")
	check(os.WriteFile(path, raw, 0600), "write ca.json")
	emit(map[string]string{"fingerprint": p.GetRootFingerprint(), "config": path})
}

func main() {
	commands := map[string]func([]string){
		"sign": signCommand, "token": tokenCommand, "renew": renewCommand, "revoke": revokeCommand, "admin": adminCommand,
		"bench-sign": benchSignCommand, "bench-admin": benchAdminCommand, "init": initCommand,
	}
	if len(os.Args) < 2 || commands[os.Args[1]] == nil {
		fail("usage", fmt.Errorf("step-driver sign|token|renew|revoke|admin|bench-sign|bench-admin|init [flags]"))
	}
	commands[os.Args[1]](os.Args[2:])
}


package host

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/peer"
)

// ClientCertificate is a one-time host certificate for AutoMTLS, made the
// way go-plugin's Client makes its own (mtls.go, unexported there): ECDSA
// P-521, self-signed CA, CN/SAN localhost, client and server auth. The
// handshake-line scenario uses it where go-plugin is not involved.
type ClientCertificate struct {
	PEM []byte // the value of PLUGIN_CLIENT_CERT
	TLS tls.Certificate
}

// NewClientCertificate generates a ClientCertificate.
func NewClientCertificate() (*ClientCertificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P521(), rand.Reader)
	if err != nil {
		return nil, err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 128))
	if err != nil {
		return nil, err
	}
	template := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: "localhost", Organization: []string{"gfsdk interop host"}},
		DNSNames:              []string{"localhost"},
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth, x509.ExtKeyUsageServerAuth},
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment | x509.KeyUsageKeyAgreement | x509.KeyUsageCertSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
		NotBefore:             time.Now().Add(-30 * time.Second),
		NotAfter:              time.Now().Add(24 * time.Hour),
	}
	der, err := x509.CreateCertificate(rand.Reader, template, template, key.Public(), key)
	if err != nil {
		return nil, err
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, err
	}
	return &ClientCertificate{
		PEM: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		TLS: tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf},
	}, nil
}

// ParseServerCertificate reads handshake field 6 as go-plugin's
// Client.loadServerCert does (base64 standard encoding without padding of
// the DER), after go-plugin's own test: longer than 50 characters.
func ParseServerCertificate(field string) (*x509.Certificate, error) {
	if len(field) <= 50 {
		return nil, fmt.Errorf("handshake field 6 is %q: go-plugin needs a certificate (more than 50 characters) to use AutoMTLS", field)
	}
	der, err := base64.RawStdEncoding.DecodeString(field)
	if err != nil {
		return nil, fmt.Errorf("handshake field 6 is not base64 without padding (RawStdEncoding): %w", err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("handshake field 6 is not a DER certificate: %w", err)
	}
	return cert, nil
}

// ClientTLS is the TLS configuration go-plugin's Client builds for AutoMTLS:
// our certificate, the plugin's as the only root, server name localhost.
func ClientTLS(client *ClientCertificate, server *x509.Certificate) *tls.Config {
	pool := x509.NewCertPool()
	pool.AddCert(server)
	cfg := &tls.Config{RootCAs: pool, ServerName: "localhost", MinVersion: tls.VersionTLS12}
	if client != nil {
		cfg.Certificates = []tls.Certificate{client.TLS}
	}
	return cfg
}

// CheckServerCertificate checks the properties go-plugin's own server
// certificate has and its client relies on: ECDSA P-521, SAN localhost, a CA,
// usable for server and client authentication.
func CheckServerCertificate(cert *x509.Certificate) error {
	key, ok := cert.PublicKey.(*ecdsa.PublicKey)
	if !ok || key.Curve != elliptic.P521() {
		return fmt.Errorf("plugin certificate key is %T, want ECDSA P-521", cert.PublicKey)
	}
	if !slices.Contains(cert.DNSNames, "localhost") {
		return fmt.Errorf("plugin certificate DNS names %v lack localhost", cert.DNSNames)
	}
	if !cert.IsCA {
		return errors.New("plugin certificate is not a CA (go-plugin's client trusts it as a root)")
	}
	for _, want := range []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth} {
		if !slices.Contains(cert.ExtKeyUsage, want) {
			return fmt.Errorf("plugin certificate extended key usages %v lack %v", cert.ExtKeyUsage, want)
		}
	}
	if cert.NotAfter.Before(time.Now().Add(365 * 24 * time.Hour)) {
		return fmt.Errorf("plugin certificate expires %s, want years ahead like go-plugin's", cert.NotAfter)
	}
	return nil
}

// checkMutualTLS makes a health call on conn and checks that it went over
// TLS and that the plugin's certificate was verified and looks like
// go-plugin's. (That the plugin demands the client's certificate is what
// the handshake-line scenario checks.)
func checkMutualTLS(ctx context.Context, conn *grpc.ClientConn) error {
	var p peer.Peer
	_, err := grpc_health_v1.NewHealthClient(conn).Check(ctx, &grpc_health_v1.HealthCheckRequest{Service: "plugin"}, grpc.Peer(&p))
	if err != nil {
		return fmt.Errorf("health check over AutoMTLS: %w", err)
	}
	info, ok := p.AuthInfo.(credentials.TLSInfo)
	if !ok {
		return fmt.Errorf("connection is not TLS (auth info %T) although the host asked for AutoMTLS", p.AuthInfo)
	}
	st := info.State
	if !st.HandshakeComplete || st.Version < tls.VersionTLS12 {
		return fmt.Errorf("TLS handshake complete=%v version %#x", st.HandshakeComplete, st.Version)
	}
	if len(st.PeerCertificates) == 0 {
		return errors.New("the plugin presented no certificate")
	}
	if len(st.VerifiedChains) == 0 {
		return errors.New("the plugin's certificate was not verified")
	}
	return CheckServerCertificate(st.PeerCertificates[0])
}

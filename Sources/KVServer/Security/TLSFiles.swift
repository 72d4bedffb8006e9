import NIOSSL

/// Loads the PEM certificate chain and key named by `security.tls_*_file` into a server
/// configuration (TLS 1.2 or newer), checking now that they load and belong together.
enum TLSFiles {
    static func serverConfiguration(certificateFile: String, keyFile: String) throws(SecurityStartupError) -> TLSConfiguration {
        let chain: [NIOSSLCertificate]
        do {
            chain = try NIOSSLCertificate.fromPEMFile(certificateFile)
        } catch {
            throw SecurityStartupError(.tlsCertificate, "security.tls_certificate_file \"\(certificateFile)\": cannot load a PEM certificate: \(error)")
        }
        guard !chain.isEmpty else {
            throw SecurityStartupError(.tlsCertificate, "security.tls_certificate_file \"\(certificateFile)\": holds no PEM certificate")
        }
        let key: NIOSSLPrivateKey
        do {
            key = try NIOSSLPrivateKey(file: keyFile, format: .pem)
        } catch {
            throw SecurityStartupError(.tlsKey, "security.tls_key_file \"\(keyFile)\": cannot load a PEM private key: \(error)")
        }
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        configuration.minimumTLSVersion = .tlsv12
        do {
            _ = try NIOSSLContext(configuration: configuration)
        } catch {
            throw SecurityStartupError(
                .tlsMismatch,
                "security.tls_certificate_file \"\(certificateFile)\" and security.tls_key_file \"\(keyFile)\" do not make a "
                    + "usable TLS configuration (does the key belong to the certificate?): \(error)")
        }
        return configuration
    }
}

using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Broadcast.Tests.Infrastructure;

/// <summary>What Azurite's OAuth mode needs from a test: a self-signed certificate for 127.0.0.1 (its PEM files on
/// disk), an HTTP transport that trusts exactly that certificate, and a <see cref="TokenCredential"/> whose tokens
/// Azurite's basic check accepts (a JWT for the storage audience from an Entra issuer, within its lifetime;
/// Azurite does not verify signatures).</summary>
public sealed class AzuriteOAuth : IDisposable
{
    private readonly string _directory;
    private readonly X509Certificate2 _certificate;

    private AzuriteOAuth(string directory, X509Certificate2 certificate)
    {
        _directory = directory;
        _certificate = certificate;
    }

    public string CertificatePath => Path.Combine(_directory, "cert.pem");
    public string KeyPath => Path.Combine(_directory, "key.pem");

    public static AzuriteOAuth Create()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        var now = DateTimeOffset.UtcNow;
        var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));
        var directory = Directory.CreateTempSubdirectory("azurite-oauth-").FullName;
        File.WriteAllText(Path.Combine(directory, "cert.pem"), certificate.ExportCertificatePem());
        File.WriteAllText(Path.Combine(directory, "key.pem"), key.ExportPkcs8PrivateKeyPem());
        return new AzuriteOAuth(directory, X509CertificateLoader.LoadCertificate(certificate.Export(X509ContentType.Cert)));
    }

    /// <summary>Trusts the test's certificate and nothing else that fails validation.</summary>
    public HttpPipelineTransport Transport() => new HttpClientTransport(new HttpClient(new SocketsHttpHandler
    {
        SslOptions = new SslClientAuthenticationOptions
        {
            RemoteCertificateValidationCallback = (_, cert, _, errors) =>
                errors == SslPolicyErrors.None || (cert is not null && cert.GetCertHashString() == _certificate.GetCertHashString()),
        },
    }));

    public TokenCredential Credential { get; } = new AzuriteTokenCredential();

    public void Dispose()
    {
        _certificate.Dispose();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }

    /// <summary>Counts the tokens it gave out, so a test can tell the identity path really signed the calls.</summary>
    public sealed class AzuriteTokenCredential : TokenCredential
    {
        private int _issued;

        public int Issued => Volatile.Read(ref _issued);

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _issued);
            var expires = DateTimeOffset.UtcNow.AddHours(1);
            return new AccessToken(Jwt(expires), expires);
        }

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            ValueTask.FromResult(GetToken(requestContext, cancellationToken));

        /// <summary>A token as Entra would shape it, for <paramref name="audience"/> (storage by default).</summary>
        public static string Jwt(DateTimeOffset expires, string audience = "https://storage.azure.com")
        {
            var now = DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeSeconds();
            var header = new { alg = "HS256", typ = "JWT" };
            var claims = new Dictionary<string, object>
            {
                ["aud"] = audience,
                ["iss"] = "https://sts.windows.net/ab1f708d-50f6-404c-a006-d71b2ac7a606/",
                ["iat"] = now,
                ["nbf"] = now,
                ["exp"] = expires.ToUnixTimeSeconds(),
                ["oid"] = "23657296-5cd5-45b0-a809-d972a7f4dfe1",
                ["tid"] = "dd0d0df1-06c3-436c-8034-4b9a153097ce",
            };
            static string Part(object value) => Base64Url(JsonSerializer.SerializeToUtf8Bytes(value));
            var unsigned = Part(header) + "." + Part(claims);
            var signature = HMACSHA256.HashData(RandomNumberGenerator.GetBytes(32), Encoding.ASCII.GetBytes(unsigned));
            return unsigned + "." + Base64Url(signature);
        }

        private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }
}

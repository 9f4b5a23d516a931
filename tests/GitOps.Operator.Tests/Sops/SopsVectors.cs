namespace GitOps.Operator.Tests.Sops;

/// <summary>
/// Files made by independent implementations, read with the search tool (public test fixtures with
/// public test keys; nothing here protects anything):
/// <list type="bullet">
/// <item>getsops/sops <c>aes/cipher_test.go</c> (TestDecrypt): one AES-GCM value with a 32-byte IV.</item>
/// <item>getsops/sops <c>age/keysource_test.go</c>: a data key armored and age-encrypted by the Go age library.</item>
/// <item>fluxcd/kustomize-controller <c>internal/controller/testdata/sops/</c>: whole files written by
/// sops 3.9.0 with age (<c>algorithms/age.yaml</c>, <c>component/env.env</c>, and the JSON document
/// inside <c>inside/secret.yaml</c>), for the key in <c>internal/decryptor/testdata/age.txt</c>.</item>
/// </list>
/// </summary>
internal static class SopsVectors
{
    public const string AesKey = "ffffffffffffffffffffffffffffffff";
    public const string AesValue = "ENC[AES256_GCM,data:oYyi,iv:MyIDYbT718JRr11QtBkcj3Dwm4k1aCGZBVeZf0EyV8o=,tag:t5z2Z023Up0kxwCgw1gNxg==,type:str]";
    public const string AesAdditionalData = "bar:";
    public const string AesPlaintext = "foo";

    public const string SopsAgeIdentity = "AGE-SECRET-KEY-1G0Q5K9TV4REQ3ZSQRMTMG8NSWQGYT0T7TZ33RAZEE0GZYVZN0APSU24RK7";
    public const string SopsAgeRecipient = "age1lzd99uklcjnc0e7d860axevet2cz99ce9pq6tzuzd05l5nr28ams36nvun";
    public const string SopsAgeOtherIdentity = "AGE-SECRET-KEY-1432K5YRNSC44GC4986NXMX6GVZ52WTMT9C79CLUVWYY4DKDHD5JSNDP4MC";
    public const string SopsAgeEncrypted = """
        -----BEGIN AGE ENCRYPTED FILE-----
        YWdlLWVuY3J5cHRpb24ub3JnL3YxCi0+IFgyNTUxOSBvY2t2NkdLUGRvY3l2OGNy
        MVJWcUhCOEZrUG8yeCtnRnhxL0I5NFk4YjJFCmE4SVQ3MEdyZkFqRWpSa2F0NVhF
        VDUybzBxdS9nSGpHSVRVMUI0UEVqZkkKLS0tIGJjeGhNQ0Y5L2VZRVVYSm90djFF
        bzdnQ3UwTGljMmtrbWNMV1MxYkFzUFUK4xjOZOTGdcbzuwUY/zeBXhcF+Md3e5PQ
        EylloI7MNGbadPGb
        -----END AGE ENCRYPTED FILE-----
        """;
    public const string SopsAgePlaintext = "data";

    public const string FluxKeyFile = """
        # created: 2021-03-31T09:51:59+02:00
        # public key: age1l44xcng8dqj32nlv6d930qvvrny05hglzcv9qpc7kxjc6902ma4qufys29
        AGE-SECRET-KEY-1RH87A5Z54ZGUR9S0AS3R6WHFSEFNPLYMAKF5Z2CEU7R06VRJ0A3Q7242AM
        """;
    public const string FluxRecipient = "age1l44xcng8dqj32nlv6d930qvvrny05hglzcv9qpc7kxjc6902ma4qufys29";

    /// <summary>algorithms/age.yaml: a Secret with encrypted_regex ^(data|stringData)$; stringData.key decrypts to "value".</summary>
    public const string FluxYaml = """
        apiVersion: v1
        kind: Secret
        metadata:
          name: age
        stringData:
          key: ENC[AES256_GCM,data:mHeXsmQ=,iv:vUMpILz3xchORqkzDFvgwENY7EqIHHGJdEF6C8xqbFE=,tag:IroV7hykADvD0IUaq6kikA==,type:str]
        sops:
          kms: []
          gcp_kms: []
          azure_kv: []
          hc_vault: []
          age:
            - recipient: age1l44xcng8dqj32nlv6d930qvvrny05hglzcv9qpc7kxjc6902ma4qufys29
              enc: |
                -----BEGIN AGE ENCRYPTED FILE-----
                YWdlLWVuY3J5cHRpb24ub3JnL3YxCi0+IFgyNTUxOSBZeHVSdjJoY3ZSQjJzbk1q
                ZXFxMWJ5amkrN1VXeHI4QzQ5OHcwVGxDem1zCm8wQVEzNEUrOUhtRUFkVnFUY0tN
                aFgwaHNrWmVWY1RGWXI2YlpYbUhYMGMKLS0tIDBFSXo3cjRCMngvTXpldzhMRlVp
                TXk2d2ExSVZYNDVTV0xwVlZnQnpScG8KVpjffjtRTA7Z4Wf/l1VMLjcl16hOrRUv
                LKiZDcq+nqKDUI7owZ+xNs2w5SrQjEWVhDXRSeSSRiJrK/bCYKzRxA==
                -----END AGE ENCRYPTED FILE-----
          lastmodified: "2024-11-12T13:33:42Z"
          mac: ENC[AES256_GCM,data:vmrF+VgW3o8z4h/DOStCUNudz68yHEC8Mws+LPoKpM3Xc7GM0Z1CfX0TKwdLLjMuvyWa2Nx2NIxm0+MCbmR8+y2izn0hHPSWhNVCWSK+iW48M05vXhDCV0xNkqM7g0kLhQ3PiSrB69loQj8C590HIfEViEtyDCFUeynDgcC289Q=,iv:u5lhmtXMxyt+3Pw09wWvgBhmKLoOSpKNWUpu/LuCr3Y=,tag:Dg0HFdLgQltzPgnEmltAzQ==,type:str]
          pgp: []
          encrypted_regex: ^(data|stringData)$
          version: 3.9.0

        """;

    /// <summary>component/env.env: one encrypted key, flattened metadata.</summary>
    public const string FluxDotenv =
        "key=ENC[AES256_GCM,data:HfbmmMU=,iv:nWWqqIzzutZJBzu5PbaTPBsqvszaz2/+58mYOK7hj9Q=,tag:b+VcateAccwdb7x2dmYDrQ==,type:str]\n" +
        "sops_age__list_0__map_enc=-----BEGIN AGE ENCRYPTED FILE-----\\nYWdlLWVuY3J5cHRpb24ub3JnL3YxCi0+IFgyNTUxOSBsc0Vyd25KTE1sYWM1akFH\\nTUFBeHBmSmdGMnY3ZFJvazRZMUtPMFpscmhBCnVsL2Y0cUd1Nkx1Z0Q1OWpHOG0w\\nNnhXSmxjbzR5NVE1NGpjR3d2SHN6SzgKLS0tIG5tdXpXK0U2SUlsQlcvY0ZvRWJB\\nS2N6MS9QRVR4K2toMEg1eDR3a3ZtdzAKiliurqchsdfT4XbttES0ohnuTMNKlZy9\\nefqbQO2lTLw8wUsNUunTpJBEAx9MFZ+LFHE/EZfHZqYlzxCPzfhufA==\\n-----END AGE ENCRYPTED FILE-----\\n\n" +
        "sops_age__list_0__map_recipient=age1l44xcng8dqj32nlv6d930qvvrny05hglzcv9qpc7kxjc6902ma4qufys29\n" +
        "sops_lastmodified=2024-11-12T13:33:42Z\n" +
        "sops_mac=ENC[AES256_GCM,data:kPn8FhXF7UcPbkA7gjfjfYljawfT67SQBsYbnaAgtcFAtMWTryTHSDAASp2RZiClZiWnKgOgT8NeFUC+hUvjlz/Vj3pQxl6zY+3CmlrbBiqYUwd8ksXjps8UTqcioWKc7xULLqV5GMUHpoWnDWkkt0F6F10uCL78P0JoKmIeCXM=,iv:/G3GIGXriXuoS9OhfEazEYgVBbo+XvouTGYEi5XVYqQ=,tag:80P9IXhwJzoqJ43eK2W+4g==,type:str]\n" +
        "sops_unencrypted_suffix=_unencrypted\n" +
        "sops_version=3.9.0\n";

    /// <summary>The JSON document kept (base64) in inside/secret.yaml: one encrypted key "data".</summary>
    public const string FluxJson = """
        {
        	"data": "ENC[AES256_GCM,data:rHLwEgg=,iv:8yMTIqr2xXQ5YYyqNnOXlzH3IkGichyDZBZS1m/DZ+M=,tag:xzYB5+b9TJW+vJsSLakXpQ==,type:str]",
        	"sops": {
        		"kms": null,
        		"gcp_kms": null,
        		"azure_kv": null,
        		"hc_vault": null,
        		"age": [
        			{
        				"recipient": "age1l44xcng8dqj32nlv6d930qvvrny05hglzcv9qpc7kxjc6902ma4qufys29",
        				"enc": "-----BEGIN AGE ENCRYPTED FILE-----\nYWdlLWVuY3J5cHRpb24ub3JnL3YxCi0+IFgyNTUxOSAzQ1VrUzNTOU1YMUo4MXpq\nM0xxaHNKcjBRN2VqMGttNGczUmJ5MWpPd1UwCk03alpvSEcxZ3BNVE12T0M0MGpE\naSsrWHlYVlBBTlhsdXdqUk9YUTdCZ2cKLS0tIDcweVpnazdXNG9OUlpIMitUV2ph\nRG11RGlmbS9NZ0lDNzR5WW5uNE9HMW8KQBJRHEYaHZavSuEIB7zCSxB7DRvLhEo1\noFUU64V9nxD/4eD2W+0ujEbzkmRud8ltj9rXRcYrSpw1WWq7Qn1ejA==\n-----END AGE ENCRYPTED FILE-----\n"
        			}
        		],
        		"lastmodified": "2024-11-12T13:32:04Z",
        		"mac": "ENC[AES256_GCM,data:0Kw1p6cOPWv59oexQU1UWKLr3ocsKCWqXMQRql2yZk4bXjormx5/UrcjnAw5FgET3YtmOJtqJUZtSP4nE910U1dWvmhT/n4rdE0ZraNMBjSmS3QUBrmZyrDD3t89aiBATN62yRgJU6iVYO4lweoEnYD4+OYqg3XpR6WTR4dTKpM=,iv:hybXr6aRHAlSpP0evPhHZ5hik9Nlh/DRDPFQRIWNKrk=,tag:3rlxsnKn7O/3tgjPMnoumg==,type:str]",
        		"pgp": null,
        		"unencrypted_suffix": "_unencrypted",
        		"version": "3.9.0"
        	}
        }
        """;
}

@{
    Synopsis = 'Points this host at the cluster store (etcd) that overlay networks live in.'
    Description = @'
Set-VNetStore writes /etc/vnet/store.json (under $env:VNET_CONFIG_DIR when set): the etcd client URLs, the address other hosts send this host's VXLAN traffic to, this host's name and id, and the TLS files and user for etcd. Run it on every host that takes part in overlay networks (New-ContainerNetwork -Driver overlay), each pointed at the same etcd cluster.

Everything is checked before anything is written: each endpoint must be an http:// or https:// URL with a host and a port (one scheme for all), TLS files go with https endpoints only, and the certificate files must exist and be read as PEM (the key unencrypted, matching the certificate). The store is not dialled: Get-VNetStore shows whether it answers, and over TLS why a handshake failed.

With https, the servers' certificates are checked against -CertificateAuthority (else the system's CAs) and must name the endpoint's address in their subjectAltName, as etcd's --cert-file does with --advertise-client-urls. An etcd run with --client-cert-auth needs -Certificate and -Key signed by a CA in its --trusted-ca-file. A handshake that fails makes store operations fail with StoreTlsFailed, saying which side refused, the endpoint and the file to check.

The host id (random, made the first time) is kept when the setting is changed, since it names this host's members and VXLAN endpoint in the store. The password of -Credential goes to /etc/vnet/store.password (mode 0600), never into store.json.

Without -AdvertiseAddress, the address used is the one the kernel picks as the source to reach the first endpoint (worked out each time it is needed, so it follows the host's addressing).

Local networks (bridge, macvlan, none) never need the store; with an unreachable store they keep working, and Get-ContainerNetwork warns that overlay networks could not be read.
'@
    Parameters = @{
        Endpoint = 'The etcd client URLs, for example http://192.0.2.11:2379 (several, or one string with commas as etcdctl takes them).'
        AdvertiseAddress = 'The underlay address other hosts send this host''s VXLAN traffic to. Default: the source address the kernel picks to reach the first endpoint.'
        HostName = 'The name shown for this host in the store. Default: the one set before, else the machine''s host name.'
        CertificateAuthority = 'A PEM file of the CA that signs the etcd servers'' certificates (https endpoints).'
        Certificate = 'This client''s certificate (PEM), for etcd''s client-certificate authentication. Needs -Key.'
        Key = 'The private key (PEM) of -Certificate.'
        Credential = 'An etcd user and password (etcd''s own authentication). The password is kept in /etc/vnet/store.password, mode 0600.'
    }
    Outputs = @(
        @{ Type = 'VNet.Core.Networks.Cluster.StoreSettings'; Description = 'The settings written: Endpoints, AdvertiseAddress, HostId, HostName, CaFile, CertFile, KeyFile, UserName, PasswordFile.' }
    )
    Errors = @(
        'InvalidStoreEndpoint: an endpoint is not http(s)://HOST:PORT.'
        'StoreEndpointsMixed: the endpoints mix http and https.'
        'StoreFileNotFound: a certificate or key file does not exist (or only one of -Certificate and -Key was given).'
        'StoreTlsFileInvalid: a CA file holds no PEM certificate, or -Key is not the key of -Certificate.'
        'StoreTlsNeedsHttps: TLS files were given with http endpoints (they would be ignored).'
        'InvalidIPAddress: -AdvertiseAddress is not an IP address.'
    )
    Examples = @(
        @{
            Title = 'Three etcd members, on every host'
            Code = @'
Set-VNetStore -Endpoint http://192.0.2.11:2379, http://192.0.2.12:2379, http://192.0.2.13:2379
Get-VNetStore
'@
            Remarks = @'
Get-VNetStore then shows each endpoint, the members and the leader.
'@
        }
        @{
            Title = 'TLS and a user'
            Code = @'
Set-VNetStore -Endpoint https://192.0.2.11:2379 -CertificateAuthority ./ca.pem -Certificate ./client.pem -Key ./client-key.pem -Credential (Get-Credential vnet) -WhatIf
'@
            Remarks = @'
-WhatIf checks the URL and the files and says what would be written.
'@
        }
    )
}

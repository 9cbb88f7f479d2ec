# azd postprovision hook (Windows): same as ensure-pii-salt.sh. Generates the PII salt from 32 random bytes straight
# into Key Vault when it does not exist yet; an existing salt is kept.
$ErrorActionPreference = 'Stop'
foreach ($name in 'AZURE_KEY_VAULT_NAME', 'DPS_PII_SALT_SECRET_NAME') {
  if (-not [Environment]::GetEnvironmentVariable($name)) { throw "ensure-pii-salt: $name is not set; run through azd (azd provision / azd up)" }
}
$exists = az keyvault secret list --vault-name $env:AZURE_KEY_VAULT_NAME --query "[?name=='$($env:DPS_PII_SALT_SECRET_NAME)'] | length(@)" --output tsv
if ($exists -ne '0') { Write-Host "ensure-pii-salt: $($env:DPS_PII_SALT_SECRET_NAME) already exists; kept"; exit 0 }
$bytes = [byte[]]::new(32)
[System.Security.Cryptography.RandomNumberGenerator]::Fill($bytes)
$file = New-TemporaryFile
try {
  [IO.File]::WriteAllText($file, [Convert]::ToHexString($bytes).ToLowerInvariant())
  az keyvault secret set --vault-name $env:AZURE_KEY_VAULT_NAME --name $env:DPS_PII_SALT_SECRET_NAME --file $file --content-type 'text/plain; dps pii salt' --output none
  if ($LASTEXITCODE -ne 0) { throw 'ensure-pii-salt: writing the secret failed' }
} finally { Remove-Item $file -Force }
Write-Host "ensure-pii-salt: generated $($env:DPS_PII_SALT_SECRET_NAME) in $($env:AZURE_KEY_VAULT_NAME)"

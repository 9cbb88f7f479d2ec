#!/bin/sh
# azd postprovision hook: makes sure the PII salt exists in Key Vault. It is generated here, from 32 random bytes,
# and sent straight to the vault: it never passes through a template, a parameter or a deployment. The deploying
# principal holds the DPS secret writer role, so it can create the secret but never read it back. An existing salt is
# kept: changing it would change every hashed PII value.
set -eu
: "${AZURE_KEY_VAULT_NAME:?run through azd (azd provision / azd up)}"
: "${DPS_PII_SALT_SECRET_NAME:?run through azd}"

exists=$(az keyvault secret list --vault-name "$AZURE_KEY_VAULT_NAME" --query "[?name=='$DPS_PII_SALT_SECRET_NAME'] | length(@)" --output tsv)
if [ "$exists" != "0" ]; then
  echo "ensure-pii-salt: $DPS_PII_SALT_SECRET_NAME already exists in $AZURE_KEY_VAULT_NAME; kept"
  exit 0
fi
salt=$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n')
[ "${#salt}" -eq 64 ] || { echo "ensure-pii-salt: could not read 32 random bytes" >&2; exit 1; }
printf '%s' "$salt" | az keyvault secret set --vault-name "$AZURE_KEY_VAULT_NAME" --name "$DPS_PII_SALT_SECRET_NAME" \
  --file /dev/stdin --content-type 'text/plain; dps pii salt' --output none
echo "ensure-pii-salt: generated $DPS_PII_SALT_SECRET_NAME in $AZURE_KEY_VAULT_NAME"

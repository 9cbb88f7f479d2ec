#!/bin/sh
# azd postdeploy hook: subscribes the landing blob trigger (function landingBlob) to BlobCreated events of
# the landing container. Runs with the deploying user's Azure CLI login; the blobs extension key is read
# at deploy time and never stored in the template or the repository.
set -eu
: "${AZURE_RESOURCE_GROUP:?run through azd (azd deploy / azd up)}"
: "${AZURE_FUNCTION_APP_NAME:?run through azd}"
: "${AZURE_LANDING_SYSTEM_TOPIC:?run through azd}"
CONTAINER="${DPS_CONTAINER_LANDING:-landing}"

key=$(az functionapp keys list --resource-group "$AZURE_RESOURCE_GROUP" --name "$AZURE_FUNCTION_APP_NAME" \
  --query systemKeys.blobs_extension --output tsv)
if [ -z "$key" ]; then
  echo "subscribe-landing-events: the blobs extension key is not there yet; is landingBlob deployed?" >&2
  exit 1
fi
host=$(az functionapp show --resource-group "$AZURE_RESOURCE_GROUP" --name "$AZURE_FUNCTION_APP_NAME" --query defaultHostName --output tsv)

az eventgrid system-topic event-subscription create \
  --resource-group "$AZURE_RESOURCE_GROUP" \
  --system-topic-name "$AZURE_LANDING_SYSTEM_TOPIC" \
  --name landing-blob-created \
  --endpoint-type webhook \
  --endpoint "https://$host/runtime/webhooks/blobs?functionName=Host.Functions.landingBlob&code=$key" \
  --included-event-types Microsoft.Storage.BlobCreated \
  --subject-begins-with "/blobServices/default/containers/$CONTAINER/" \
  --output none
echo "subscribe-landing-events: landing/ uploads now trigger landingBlob"

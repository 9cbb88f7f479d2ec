#!/bin/sh
# azd postdeploy hook: subscribes the blob triggers (landingBlob, scoringBlob) to BlobCreated events of the
# landing and scoring containers, with retries and a dead-letter container. Runs with the deploying user's Azure CLI
# login; the blobs extension key is read at deploy time and never stored in the template or the repository.
# The key appears only once the host has started with the new package, so the hook waits for it.
set -eu
: "${AZURE_RESOURCE_GROUP:?run through azd (azd deploy / azd up)}"
: "${AZURE_FUNCTION_APP_NAME:?run through azd}"
: "${AZURE_LANDING_SYSTEM_TOPIC:?run through azd}"
: "${AZURE_STORAGE_ACCOUNT_ID:?run through azd}"
: "${AZURE_LANDING_DEADLETTER_CONTAINER:?run through azd}"
CONTAINER="${DPS_CONTAINER_LANDING:-landing}"
SCORING_CONTAINER="${DPS_CONTAINER_SCORING:-scoring}"
ATTEMPTS="${DPS_KEY_WAIT_ATTEMPTS:-30}"

key=""
attempt=1
while [ "$attempt" -le "$ATTEMPTS" ]; do
  key=$(az functionapp keys list --resource-group "$AZURE_RESOURCE_GROUP" --name "$AZURE_FUNCTION_APP_NAME" \
    --query systemKeys.blobs_extension --output tsv 2>/dev/null || true)
  [ -n "$key" ] && break
  echo "subscribe-landing-events: waiting for the blobs extension key ($attempt/$ATTEMPTS)" >&2
  sleep 10
  attempt=$((attempt + 1))
done
if [ -z "$key" ]; then
  echo "subscribe-landing-events: no blobs extension key after $ATTEMPTS attempts; is landingBlob deployed and the host running?" >&2
  exit 1
fi
host=$(az functionapp show --resource-group "$AZURE_RESOURCE_GROUP" --name "$AZURE_FUNCTION_APP_NAME" --query defaultHostName --output tsv)

# One subscription per blob-triggered function: landing/ uploads start the pipeline, scoring/ uploads a batch scoring.
subscribe() { # name, function, container
  az eventgrid system-topic event-subscription create \
    --resource-group "$AZURE_RESOURCE_GROUP" \
    --system-topic-name "$AZURE_LANDING_SYSTEM_TOPIC" \
    --name "$1" \
    --endpoint-type webhook \
    --endpoint "https://$host/runtime/webhooks/blobs?functionName=Host.Functions.$2&code=$key" \
    --included-event-types Microsoft.Storage.BlobCreated \
    --subject-begins-with "/blobServices/default/containers/$3/" \
    --max-delivery-attempts 30 \
    --event-ttl 1440 \
    --deadletter-identity systemassigned \
    --deadletter-identity-endpoint "$AZURE_STORAGE_ACCOUNT_ID/blobServices/default/containers/$AZURE_LANDING_DEADLETTER_CONTAINER" \
    --output none
  echo "subscribe-landing-events: $3/ uploads now trigger $2 (undelivered events go to $AZURE_LANDING_DEADLETTER_CONTAINER)"
}
subscribe landing-blob-created landingBlob "$CONTAINER"
subscribe scoring-blob-created scoringBlob "$SCORING_CONTAINER"

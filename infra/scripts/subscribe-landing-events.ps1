# azd postdeploy hook (Windows): same as subscribe-landing-events.sh. Subscribes landingBlob and scoringBlob to
# BlobCreated events of the landing and scoring containers with retries and a dead-letter container; waits for the blobs extension key, which is
# read at deploy time and never stored.
$ErrorActionPreference = 'Stop'
foreach ($name in 'AZURE_RESOURCE_GROUP', 'AZURE_FUNCTION_APP_NAME', 'AZURE_LANDING_SYSTEM_TOPIC', 'AZURE_STORAGE_ACCOUNT_ID', 'AZURE_LANDING_DEADLETTER_CONTAINER') {
  if (-not [Environment]::GetEnvironmentVariable($name)) { throw "subscribe-landing-events: $name is not set; run through azd (azd deploy / azd up)" }
}
$container = if ($env:DPS_CONTAINER_LANDING) { $env:DPS_CONTAINER_LANDING } else { 'landing' }
$scoringContainer = if ($env:DPS_CONTAINER_SCORING) { $env:DPS_CONTAINER_SCORING } else { 'scoring' }
$attempts = if ($env:DPS_KEY_WAIT_ATTEMPTS) { [int]$env:DPS_KEY_WAIT_ATTEMPTS } else { 30 }

$key = ''
for ($attempt = 1; $attempt -le $attempts; $attempt++) {
  $key = az functionapp keys list --resource-group $env:AZURE_RESOURCE_GROUP --name $env:AZURE_FUNCTION_APP_NAME --query systemKeys.blobs_extension --output tsv 2>$null
  if ($key) { break }
  Write-Host "subscribe-landing-events: waiting for the blobs extension key ($attempt/$attempts)"
  Start-Sleep -Seconds 10
}
if (-not $key) { throw "subscribe-landing-events: no blobs extension key after $attempts attempts; is landingBlob deployed and the host running?" }
$appHost = az functionapp show --resource-group $env:AZURE_RESOURCE_GROUP --name $env:AZURE_FUNCTION_APP_NAME --query defaultHostName --output tsv

# One subscription per blob-triggered function: landing/ uploads start the pipeline, scoring/ uploads a batch scoring.
function Subscribe([string]$name, [string]$function, [string]$target) {
  az eventgrid system-topic event-subscription create `
    --resource-group $env:AZURE_RESOURCE_GROUP `
    --system-topic-name $env:AZURE_LANDING_SYSTEM_TOPIC `
    --name $name `
    --endpoint-type webhook `
    --endpoint "https://$appHost/runtime/webhooks/blobs?functionName=Host.Functions.$function&code=$key" `
    --included-event-types Microsoft.Storage.BlobCreated `
    --subject-begins-with "/blobServices/default/containers/$target/" `
    --max-delivery-attempts 30 `
    --event-ttl 1440 `
    --deadletter-identity systemassigned `
    --deadletter-identity-endpoint "$($env:AZURE_STORAGE_ACCOUNT_ID)/blobServices/default/containers/$($env:AZURE_LANDING_DEADLETTER_CONTAINER)" `
    --output none
  if ($LASTEXITCODE -ne 0) { throw "subscribe-landing-events: creating the event subscription $name failed" }
  Write-Host "subscribe-landing-events: $target/ uploads now trigger $function"
}
Subscribe 'landing-blob-created' 'landingBlob' $container
Subscribe 'scoring-blob-created' 'scoringBlob' $scoringContainer

<#
.SYNOPSIS
  Grants the bot's identity the Microsoft Graph application permissions it uses (admin consent).

.DESCRIPTION
  A managed identity has no "API permissions" page in the Entra admin centre, so its Graph
  application permissions are granted as app role assignments. Run once per tenant, as a Privileged
  Role Administrator (or Global Administrator). Safe to run again: permissions already granted are
  left alone. docs/deploy.md explains why each permission is needed.

.PARAMETER PrincipalId
  Object id of the bot's service principal: the Bicep output `botPrincipalId`, or the object id of
  the enterprise application when the bot uses an app registration.

.PARAMETER CalendarsScopedInExchange
  Leave Calendars.ReadWrite out: it is granted instead as the Exchange role "Application
  Calendars.ReadWrite" limited to the organisers' mailboxes (RBAC for Applications). Entra and
  Exchange grants add up, so a tenant-wide Entra grant would undo that limit.

.EXAMPLE
  ./infra/azure/grant-graph-permissions.ps1 -PrincipalId 6f1c...
#>
param(
  [Parameter(Mandatory = $true)]
  [string] $PrincipalId,
  [switch] $CalendarsScopedInExchange
)

$ErrorActionPreference = 'Stop'

# Microsoft Graph's own application id, the same in every tenant.
$graphAppId = '00000003-0000-0000-c000-000000000000'
$permissions = @(
  'Calendars.ReadBasic',
  'Calendars.ReadWrite',
  'OnlineMeetings.Read.All',
  'OnlineMeetingArtifact.Read.All',
  'TeamsAppInstallation.ReadWriteAndConsentSelfForChat.All'
)

if ($CalendarsScopedInExchange) {
  $permissions = $permissions | Where-Object { $_ -ne 'Calendars.ReadWrite' }
}

Connect-MgGraph -Scopes 'AppRoleAssignment.ReadWrite.All', 'Application.Read.All' -NoWelcome

$graph = Get-MgServicePrincipal -Filter "appId eq '$graphAppId'"
$granted = Get-MgServicePrincipalAppRoleAssignment -ServicePrincipalId $PrincipalId -All

foreach ($permission in $permissions) {
  $role = $graph.AppRoles | Where-Object { $_.Value -eq $permission -and $_.AllowedMemberTypes -contains 'Application' }
  if (-not $role) {
    throw "Microsoft Graph has no application permission named $permission"
  }
  if ($granted | Where-Object { $_.AppRoleId -eq $role.Id -and $_.ResourceId -eq $graph.Id }) {
    Write-Host "$permission is already granted"
    continue
  }
  New-MgServicePrincipalAppRoleAssignment -ServicePrincipalId $PrincipalId -PrincipalId $PrincipalId `
    -ResourceId $graph.Id -AppRoleId $role.Id | Out-Null
  Write-Host "Granted $permission"
}

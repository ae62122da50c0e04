<#
.SYNOPSIS
  Grants the bot's app registration the Microsoft Graph application permissions it uses (admin consent).

.DESCRIPTION
  Grants each permission as an app role assignment to the service principal (enterprise application)
  of the bot's Entra app registration, the same as "Grant admin consent" on its API permissions page.
  Run once per tenant, as a Privileged Role Administrator (or Global Administrator). Safe to run
  again: permissions already granted are left alone. The list below is generated from
  infra/graph-permissions.json (rapid-review permissions --write); docs/deploy.md explains each one.
  Afterwards `rapid-review doctor` shows one line per permission.

.PARAMETER AppId
  Client id of the bot's app registration (MICROSOFT_APP_ID, the Bicep parameter botAppId).

.PARAMETER CalendarsScopedInExchange
  Leave Calendars.ReadWrite out: it is granted instead as the Exchange role "Application
  Calendars.ReadWrite" limited to the organisers' mailboxes (RBAC for Applications). Entra and
  Exchange grants add up, so a tenant-wide Entra grant would undo that limit.

.EXAMPLE
  ./infra/azure/grant-graph-permissions.ps1 -AppId 3b2a1c0d-...
#>
param(
  [Parameter(Mandatory = $true)]
  [string] $AppId,
  [switch] $CalendarsScopedInExchange
)

$ErrorActionPreference = 'Stop'

# Microsoft Graph's own application id, the same in every tenant.
$graphAppId = '00000003-0000-0000-c000-000000000000'
# generated:permissions from infra/adminMaterial.ts; do not edit
$permissions = @(
  'User.ReadBasic.All',
  'TeamMember.ReadWriteNonOwnerRole.All',
  'TeamsAppInstallation.ManageSelectedForTeam.All',
  'Calendars.ReadBasic',
  'Calendars.ReadWrite',
  'OnlineMeetings.Read.All',
  'OnlineMeetingArtifact.Read.All',
  'TeamsAppInstallation.ReadWriteSelfForUser.All',
  'TeamsAppInstallation.ReadWriteAndConsentSelfForChat.All'
)
# end generated:permissions

if ($CalendarsScopedInExchange) {
  $permissions = $permissions | Where-Object { $_ -ne 'Calendars.ReadWrite' }
}

Connect-MgGraph -Scopes 'AppRoleAssignment.ReadWrite.All', 'Application.Read.All' -NoWelcome

$graph = Get-MgServicePrincipal -Filter "appId eq '$graphAppId'"
# The app registration's service principal in this tenant (created with it, or by New-MgServicePrincipal).
$bot = Get-MgServicePrincipal -Filter "appId eq '$AppId'"
if (-not $bot) {
  throw "No service principal for app $AppId: run New-MgServicePrincipal -AppId $AppId first"
}
$PrincipalId = $bot.Id
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

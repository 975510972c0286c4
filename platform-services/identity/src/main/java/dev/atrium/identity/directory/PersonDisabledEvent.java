package dev.atrium.identity.directory;

/**
 * Published after a person was disabled (by an admin, or because they left the company's directory): their
 * sessions and tokens end, their devices stop working.
 *
 * @param personId who
 * @param by who disabled them ({@code ldap-sync} for the sync)
 */
public record PersonDisabledEvent(String personId, String by) {
}

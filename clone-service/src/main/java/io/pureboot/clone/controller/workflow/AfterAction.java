package io.pureboot.clone.controller.workflow;

import java.util.Locale;

/** What a node does when its agent has ended: the boot image's init carries it out (deploy/boot-image/init). */
public enum AfterAction {
    /** Boot again: a cloned target then starts from its new disk, a source from its own. */
    REBOOT,
    /** Switch off: for nodes that are only inventoried, or that an operator powers on later. */
    POWEROFF,
    /** Stay up with a root shell on the console and the boot log in /run/pureboot/boot.log, to look at a failure. */
    SHELL;

    /** The word on the kernel command line (pureboot.after=reboot). */
    public String commandLineValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}

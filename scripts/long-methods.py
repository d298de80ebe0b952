#!/usr/bin/env python3
"""Lists the methods and constructors of every module's main sources longer than N lines (default 60), longest first.

Usage: scripts/long-methods.py [ROOT] [N]. The counting and the limit live in one place,
phone-ui-sim/src/test/java/org/phoneemu/LongMethods.java, which MethodLengthTest uses to keep main methods within the
limit; this runs that file as a single-file Java program (JDK 11 or later), so both always agree.
"""
import pathlib, subprocess, sys
source = pathlib.Path(__file__).resolve().parent.parent / 'phone-ui-sim/src/test/java/org/phoneemu/LongMethods.java'
sys.exit(subprocess.call(['java', str(source)] + sys.argv[1:]))

/* placeholder: the real nb-stroke.c lives in the telemetry branch; the integrator takes that one */

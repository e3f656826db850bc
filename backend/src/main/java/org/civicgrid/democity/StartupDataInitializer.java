package org.civicgrid.democity;

import org.civicgrid.calendar.WorkingCalendarProvider;
import org.civicgrid.referencedata.ReferenceDataLoader;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Fills the database before the web server opens: reference data always, the demo city when
 * enabled and absent. Runs after Flyway, so the schema is there.
 */
@Component
class StartupDataInitializer implements SmartInitializingSingleton {

    private final ReferenceDataLoader referenceData;
    private final DemoCityLoader demoCity;
    private final WorkingCalendarProvider calendars;
    private final DemoAccounts demoAccounts;
    private final boolean demoEnabled;

    StartupDataInitializer(ReferenceDataLoader referenceData, DemoCityLoader demoCity, WorkingCalendarProvider calendars,
                           DemoAccounts demoAccounts, @Value("${civicgrid.demo.enabled:true}") boolean demoEnabled) {
        this.referenceData = referenceData;
        this.demoCity = demoCity;
        this.calendars = calendars;
        this.demoAccounts = demoAccounts;
        this.demoEnabled = demoEnabled;
    }

    @Override
    public void afterSingletonsInstantiated() {
        referenceData.load();
        calendars.reload();
        if (demoEnabled) {
            demoCity.loadIfAbsent();
            demoAccounts.ensure();
        }
    }
}

package org.civicgrid.browser;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.civicgrid.CivicGridIntegrationTest;
import org.springframework.test.context.TestPropertySource;

/**
 * Browser tests get an application context of their own: MockMvc's csrf() helper swaps the CSRF token
 * store inside the shared context's security filter, which would change what a real browser sees.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@CivicGridIntegrationTest
@TestPropertySource(properties = "civicgrid.test.context=browser")
public @interface BrowserTest {
}

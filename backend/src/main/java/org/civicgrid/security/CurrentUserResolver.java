package org.civicgrid.security;

import java.util.Optional;

import org.civicgrid.audit.AuditTrail;
import org.springframework.core.MethodParameter;
import org.springframework.security.authentication.AuthenticationCredentialsNotFoundException;
import org.springframework.security.authentication.DisabledException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

/**
 * Gives controllers a {@link CurrentUser} parameter built from the database on every request, so a
 * changed scope or a disabled account takes effect at once, for sessions and tokens alike.
 */
@Component
public class CurrentUserResolver implements HandlerMethodArgumentResolver {

    private final AccountRepository accounts;

    CurrentUserResolver(AccountRepository accounts) {
        this.accounts = accounts;
    }

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return parameter.getParameterType() == CurrentUser.class;
    }

    @Override
    public CurrentUser resolveArgument(MethodParameter parameter, ModelAndViewContainer mav, NativeWebRequest request,
                                       WebDataBinderFactory binderFactory) {
        return current();
    }

    /** The request attribute holding the account read for this request (by the token filter, or here). */
    static final String ACCOUNT_ATTRIBUTE = CurrentUserResolver.class.getName() + ".account";

    /** The signed-in caller, for services that are not called from a controller parameter. */
    public CurrentUser current() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication == null || !(authentication.getPrincipal() instanceof SignInUser signedIn)) {
            throw new AuthenticationCredentialsNotFoundException("Sign in first.");
        }
        AccountRepository.Account account = accountOfThisRequest(signedIn.id())
                .filter(AccountRepository.Account::enabled)
                .orElseThrow(() -> new DisabledException("The account is disabled."));
        return new CurrentUser(account.id(), account.username(), account.displayName(), account.roles(),
                new CallerScope(account.scope(),
                        // Only handlers are limited to their department's problems; others see all problems of their areas.
                        Optional.ofNullable(account.roles().contains(Role.HANDLER) ? account.departmentCode() : null),
                        account.wholeCity()), AuditTrail.clientAddress(),
                account.mustChangePassword());
    }

    /** Read once per request: the account cannot change in the middle of a request worth re-reading it for. */
    private Optional<AccountRepository.Account> accountOfThisRequest(long id) {
        RequestAttributes request = RequestContextHolder.getRequestAttributes();
        if (request != null && request.getAttribute(ACCOUNT_ATTRIBUTE, RequestAttributes.SCOPE_REQUEST) instanceof AccountRepository.Account cached
                && cached.id() == id) {
            return Optional.of(cached);
        }
        Optional<AccountRepository.Account> account = accounts.byId(id);
        if (request != null) {
            account.ifPresent(a -> request.setAttribute(ACCOUNT_ATTRIBUTE, a, RequestAttributes.SCOPE_REQUEST));
        }
        return account;
    }
}

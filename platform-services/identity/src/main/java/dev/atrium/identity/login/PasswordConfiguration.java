package dev.atrium.identity.login;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;

/** People's passwords: Argon2id with Spring Security's current defaults (16 MiB, 2 passes, 1 lane). */
@Configuration
public class PasswordConfiguration {

  @Bean
  PasswordEncoder passwordEncoder() {
    return Argon2PasswordEncoder.defaultsForSpringSecurity_v5_8();
  }
}

"use client";

import { useMutation } from "@tanstack/react-query";
import { useId, useState, type FormEvent, type ReactNode } from "react";
import { formErrors } from "@/components/form-errors";
import { useTRPC } from "@/components/trpc-provider";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { SelectField, TextField } from "@/components/ui/text-field";
import { profileParts, SEX_LABELS, type Profile, type Sex } from "./profile-details";

type Errors = Record<string, string[] | undefined>;

function Section({ title, description, errors, children }: { title: string; description?: string; errors?: string[]; children: ReactNode }) {
  const id = useId();
  return (
    <fieldset className="space-y-4" aria-describedby={errors?.length ? `${id}-error` : undefined}>
      <legend className="text-base font-semibold text-slate-900">{title}</legend>
      {description && <p className="-mt-2 text-sm text-slate-600">{description}</p>}
      {errors?.length ? (
        <p id={`${id}-error`} className="text-sm text-red-700">
          {errors.join(" ")}
        </p>
      ) : null}
      <div className="grid gap-4 sm:grid-cols-2">{children}</div>
    </fieldset>
  );
}

/** The form's text, trimmed; an empty field is null (cleared). */
function reader(form: HTMLFormElement) {
  const data = new FormData(form);
  return (name: string) => String(data.get(name) ?? "").trim() || null;
}

/**
 * The update the form describes, or the fields it still needs. A contact or a
 * policy is all or nothing: a half-filled one is asked to be completed, an
 * empty one is removed.
 */
function readProfileForm(form: HTMLFormElement) {
  const text = reader(form);
  const errors: Errors = {};
  const group = <T,>(fields: string[], required: Record<string, string>, build: () => T): T | null => {
    if (fields.every((name) => !text(name))) return null;
    for (const [name, message] of Object.entries(required)) if (!text(name)) errors[name] = [message];
    return build();
  };
  const address = group(["address.line.0", "address.line.1", "address.city", "address.state", "address.postalCode", "address.country"], {}, () => ({
    line: [text("address.line.0"), text("address.line.1")].filter((line): line is string => line !== null),
    city: text("address.city") ?? "",
    state: text("address.state") ?? "",
    postalCode: text("address.postalCode") ?? "",
    country: text("address.country") ?? "",
  }));
  const emergencyContact = group(
    ["emergencyContact.name", "emergencyContact.relationship", "emergencyContact.phone"],
    { contactName: "Enter the contact's name.", contactPhone: "Enter a phone number to reach them." },
    () => ({ name: text("emergencyContact.name") ?? "", relationship: text("emergencyContact.relationship") ?? undefined, phone: text("emergencyContact.phone") ?? "" }),
  );
  const insurance = group(
    ["insurance.payer", "insurance.memberId", "insurance.groupNumber"],
    { payer: "Enter the insurance company.", memberId: "Enter the member ID from your card." },
    () => ({ payer: text("insurance.payer") ?? "", memberId: text("insurance.memberId") ?? "", groupNumber: text("insurance.groupNumber") ?? undefined }),
  );
  const update = {
    givenName: text("givenName"),
    familyName: text("familyName"),
    birthDate: text("birthDate"),
    sex: text("sex") as Sex | null,
    phone: text("phone"),
    email: text("email"),
    address,
    emergencyContact,
    insurance,
  };
  return { update, errors };
}

/** The patient's own details: who they are, how to reach them, who to call, who pays. */
export function ProfileForm({ patientId, profile }: { patientId: string; profile: Profile }) {
  const trpc = useTRPC();
  const [missing, setMissing] = useState<Errors>({});
  const save = useMutation(trpc.patient.profile.update.mutationOptions());
  const { message, fields: serverErrors } = formErrors(save.error);
  const errors: Errors = { ...serverErrors, ...missing };
  const { address, emergencyContact, insurance } = profileParts(profile);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const { update, errors: incomplete } = readProfileForm(event.currentTarget);
    setMissing(incomplete);
    if (Object.keys(incomplete).length) return save.reset();
    save.mutate({ patientId, ...update });
  }

  return (
    <Card>
      <form onSubmit={onSubmit} className="space-y-8" noValidate>
        {message && <Alert tone="error">{message}</Alert>}
        {Object.keys(missing).length > 0 && <Alert tone="error">Please complete the highlighted fields.</Alert>}
        {save.isSuccess && (
          <Alert tone="success" title="Profile saved">
            Your details are up to date. Professionals you share your profile with see them from now on.
          </Alert>
        )}

        <Section title="About you">
          <TextField label="First name" name="givenName" autoComplete="given-name" defaultValue={profile.givenName ?? ""} errors={errors.givenName} />
          <TextField label="Last name" name="familyName" autoComplete="family-name" defaultValue={profile.familyName ?? ""} errors={errors.familyName} />
          <TextField
            label="Date of birth"
            name="birthDate"
            type="date"
            autoComplete="bday"
            defaultValue={profile.birthDate?.toISOString().slice(0, 10) ?? ""}
            errors={errors.birthDate}
          />
          <SelectField label="Sex" name="sex" defaultValue={profile.sex ?? ""} errors={errors.sex} options={[["", "Not stated"], ...Object.entries(SEX_LABELS)]} />
        </Section>

        <Section title="Contact">
          <TextField label="Phone" name="phone" type="tel" autoComplete="tel" defaultValue={profile.phone ?? ""} errors={errors.phone} />
          <TextField label="Email" name="email" type="email" autoComplete="email" defaultValue={profile.email ?? ""} errors={errors.email} />
        </Section>

        <Section title="Address" errors={errors.address}>
          <TextField label="Street address" name="address.line.0" autoComplete="address-line1" defaultValue={address?.line?.[0] ?? ""} errors={errors["address.line.0"]} />
          <TextField
            label="Apartment, suite, etc."
            name="address.line.1"
            autoComplete="address-line2"
            // An imported address may have more lines than the form: they stay, on this one.
            defaultValue={address?.line?.slice(1).join(", ") ?? ""} errors={errors["address.line.1"]} />
          <TextField label="City" name="address.city" autoComplete="address-level2" defaultValue={address?.city ?? ""} errors={errors["address.city"]} />
          <TextField label="State or region" name="address.state" autoComplete="address-level1" defaultValue={address?.state ?? ""} errors={errors["address.state"]} />
          <TextField label="Postal code" name="address.postalCode" autoComplete="postal-code" defaultValue={address?.postalCode ?? ""} errors={errors["address.postalCode"]} />
          <TextField label="Country" name="address.country" autoComplete="country-name" defaultValue={address?.country ?? ""} errors={errors["address.country"]} />
        </Section>

        <Section title="Emergency contact" description="Who to call if something happens to you." errors={errors.emergencyContact}>
          <TextField label="Contact name" name="emergencyContact.name" autoComplete="off" defaultValue={emergencyContact?.name ?? ""} errors={errors["emergencyContact.name"]} />
          <TextField
            label="Relationship"
            name="emergencyContact.relationship"
            autoComplete="off"
            placeholder="e.g. spouse, parent"
            defaultValue={emergencyContact?.relationship ?? ""} errors={errors["emergencyContact.relationship"]} />
          <TextField label="Contact phone" name="emergencyContact.phone" type="tel" autoComplete="off" defaultValue={emergencyContact?.phone ?? ""} errors={errors["emergencyContact.phone"]} />
        </Section>

        <Section title="Insurance" description="As printed on your insurance card." errors={errors.insurance}>
          <TextField label="Insurance company" name="insurance.payer" autoComplete="off" defaultValue={insurance?.payer ?? ""} errors={errors["insurance.payer"]} />
          <TextField label="Member ID" name="insurance.memberId" autoComplete="off" defaultValue={insurance?.memberId ?? ""} errors={errors["insurance.memberId"]} />
          <TextField label="Group number" name="insurance.groupNumber" autoComplete="off" defaultValue={insurance?.groupNumber ?? ""} errors={errors["insurance.groupNumber"]} />
        </Section>

        <Button type="submit" disabled={save.isPending}>
          {save.isPending ? "Saving…" : "Save profile"}
        </Button>
      </form>
    </Card>
  );
}
